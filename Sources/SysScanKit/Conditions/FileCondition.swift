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

        /// The files (of `files`, whose paths as globs see them are `parts`) that match, each with the
        /// version read from its path; with a version range, only those whose version is in it.
        func matches(files: [ArtifactName], parts: [[ArraySlice<UInt8>]]) -> [(file: ArtifactName, version: String?)] {
            let state = version?.makeMatchState()
            var matches: [(ArtifactName, String?)] = []
            for (file, path) in zip(files, parts) where glob.matches(parts: path) {
                var found: String?
                if let version, let state {
                    let joined = Array(path.joined(separator: [UInt8(ascii: "/")]))
                    found = joined.withUnsafeBytes { version.namedCaptures(in: $0, state: state) }["version"]
                    if let range = condition.versionRange {
                        guard let parsed = found.flatMap(Version.init), range.contains(parsed) else { continue }
                    }
                }
                matches.append((file, found))
            }
            return matches
        }
    }
}
