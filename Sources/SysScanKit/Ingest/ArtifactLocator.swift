/// Says what kind of artifact an entry of an upload is, from its path alone (the first kind whose globs
/// match, in the order the knowledge base lists them).
///
/// Where a file sits is kept apart from what it means: the locator never reads content.
public struct ArtifactLocator: Sendable {
    private let kinds: [ArtifactKind]
    /// Every glob of every kind, in kind order, compiled into one set; `kindOfGlob[i]` is glob i's kind.
    private let globs: GlobSet
    private let kindOfGlob: [Int]

    /// Creates a locator over `kinds`, tried in order.
    ///
    /// - Parameter kinds: The artifact kinds of a knowledge base.
    public init(kinds: [ArtifactKind]) {
        self.kinds = kinds
        var patterns: [String] = []
        var owners: [Int] = []
        for (index, kind) in kinds.enumerated() {
            patterns += kind.paths
            owners += Array(repeating: index, count: kind.paths.count)
        }
        globs = GlobSet(patterns)
        kindOfGlob = owners
    }

    /// Returns the kind of the entry at `path`, or nil when no kind matches.
    ///
    /// - Parameter path: The entry's path inside the upload; nested archives count as folders
    ///   (`logs/ms.zip!/a.log` is matched as `logs/ms.zip/a.log`), a leading `./` or `/` is ignored.
    /// - Returns: The first kind whose globs match.
    public func kind(for path: String) -> ArtifactKind? {
        kind(forParts: GlobSet.parts(of: path))
    }

    /// The kind of an entry whose path is already split (`GlobSet.parts(of:)`).
    func kind(forParts parts: [ArraySlice<UInt8>]) -> ArtifactKind? {
        globs.firstMatch(parts: parts).map { kinds[kindOfGlob[$0]] }
    }

    /// The path as globs see it: `!/` becomes `/`, and leading `./` and `/` are dropped.
    static func normalize(_ path: String) -> String {
        GlobSet.parts(of: path).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }
}
