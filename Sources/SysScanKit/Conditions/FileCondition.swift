import StreamMatch

/// A condition on the files of the upload.
public struct FileCondition: Sendable {
    /// The glob the paths must match.
    public var glob: String
    /// Whether the rule fires when a file matches (true) or when none does (false).
    public var present: Bool
    /// A regular expression with a named group `version`, read from the matching path.
    public var version: String?
    /// The range the version must fall in.
    public var versionRange: VersionRange?
}

extension FileCondition {
    /// The condition compiled once: its glob, and the regex that reads a version from a path.
    struct Compiled: Sendable {
        let condition: FileCondition
        let glob: Glob
        let version: CompiledRegex?

        /// Compiles `condition`.
        ///
        /// - Throws: `PatternError` when the version regex does not compile.
        init(_ condition: FileCondition) throws {
            self.condition = condition
            glob = Glob(condition.glob)
            version = try condition.version.map { try CompiledRegex(Pattern($0)) }
        }

        /// Whether `file` (whose path as globs see it is `parts`) matches, and the version read from its
        /// path; with a version range, only a file whose version is in it matches.
        func match(_ file: ArtifactName, parts: [ArraySlice<UInt8>]) -> (matches: Bool, version: String?) {
            guard glob.matches(parts: parts) else { return (false, nil) }
            guard let version, let state = version.makeMatchState() else { return (true, nil) }
            let joined = Array(parts.joined(separator: [UInt8(ascii: "/")]))
            let found = joined.withUnsafeBytes { version.namedCaptures(in: $0, state: state) }["version"]
            if let range = condition.versionRange {
                guard let parsed = found.flatMap(Version.init), range.contains(parsed) else { return (false, found) }
            }
            return (true, found)
        }
    }

    /// The files of an upload that match a condition: how many, and the first ones (as many as evidence
    /// cites), so that what is kept does not grow with the upload.
    struct Matches {
        /// How many files match.
        var count = 0
        /// The first files that match, each with the version read from its path.
        var first: [(file: ArtifactName, version: String?)] = []
    }
}
