/// The rules and artifact kinds of a knowledge-base folder, loaded and validated, not yet compiled.
public struct KnowledgeBase: Sendable {
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
