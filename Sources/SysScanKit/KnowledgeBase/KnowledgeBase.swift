/// The rules and artifact kinds of a knowledge-base folder, loaded and validated, not yet compiled.
public struct KnowledgeBase: Sendable {
    /// A rule file left out of the knowledge base because it has errors.
    public struct SkippedRuleFile: Sendable {
        /// The file's path.
        public var path: String
        /// Its errors (at least one).
        public var errors: [Diagnostic]

        /// `path: skipped: first error (and N more errors)`, for a warning.
        public var summary: String {
            let first = errors.first.map { "line \($0.line): \($0.code.rawValue) \($0.message)" } ?? "it has errors"
            let more = errors.count > 1 ? " (and \(errors.count - 1) more error\(errors.count == 2 ? "" : "s"))" : ""
            return "rule file \(path) skipped: \(first)\(more); sysscan rules lint lists them"
        }
    }

    /// The knowledge base's version, named in every report.
    public var version: String
    /// Its name.
    public var name: String
    /// The artifact kinds, in the order they are tried.
    public var kinds: [ArtifactKind]
    /// The rules, sorted by id.
    public var rules: [Rule]
    /// How facts about an upload (products and versions) are detected.
    public var facts: [FactDefinition] = []
    /// The folder it was loaded from.
    public var directory: String
    /// The rule files left out because they have errors (empty unless loaded skipping bad rule files).
    public var skippedRuleFiles: [SkippedRuleFile] = []
    /// The digest of the rule files and artifact kinds (see `KnowledgeBaseDigest`), shown beside the
    /// version; empty for a knowledge base not loaded from a folder.
    public var digest = ""
    /// The digest `knowledge-base.yaml` records for its version (`rules_digest`), if any.
    public var recordedDigest: String?

    /// Creates a knowledge base.
    ///
    /// - Parameters:
    ///   - version: Its version.
    ///   - name: Its name.
    ///   - kinds: The artifact kinds, in the order they are tried.
    ///   - rules: The rules.
    ///   - directory: Where it was loaded from.
    public init(version: String, name: String, kinds: [ArtifactKind], rules: [Rule], directory: String) {
        self.version = version
        self.name = name
        self.kinds = kinds
        self.rules = rules.sorted { $0.id < $1.id }
        self.directory = directory
    }
}
