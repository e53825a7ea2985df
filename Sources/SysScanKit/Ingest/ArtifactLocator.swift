/// Says what kind of artifact an entry of an upload is, from its path alone (the first kind whose globs
/// match, in the order the knowledge base lists them).
///
/// Where a file sits is kept apart from what it means: the locator never reads content.
public struct ArtifactLocator: Sendable {
    private let kinds: [(kind: ArtifactKind, globs: [Glob])]

    /// Creates a locator over `kinds`, tried in order.
    ///
    /// - Parameter kinds: The artifact kinds of a knowledge base.
    public init(kinds: [ArtifactKind]) {
        self.kinds = kinds.map { ($0, $0.paths.map(Glob.init)) }
    }

    /// Returns the kind of the entry at `path`, or nil when no kind matches.
    ///
    /// - Parameter path: The entry's path inside the upload; nested archives count as folders
    ///   (`logs/ms.zip!/a.log` is matched as `logs/ms.zip/a.log`), a leading `./` or `/` is ignored.
    /// - Returns: The first kind whose globs match.
    public func kind(for path: String) -> ArtifactKind? {
        let normalized = Self.normalize(path)
        return kinds.first { $0.globs.contains { $0.matches(normalized) } }?.kind
    }

    /// The path as globs see it: `!/` becomes `/`, and leading `./` and `/` are dropped.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.replacingOccurrences(of: "!/", with: "/").split(separator: "/") where part != "." {
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
