/// How the knowledge base detects one fact about an upload (the product and version it runs): a line
/// pattern over artifacts of some kinds, whose named group `value` is the fact's value.
///
/// Several
/// definitions may give the same fact from different places (a log banner, a properties file).
///
/// Declared in `knowledge-base.yaml` under `facts:`; data, not code.
public struct FactDefinition: Sendable {
    /// The fact's name, such as `tomcat.version`.
    public var name: String
    /// The artifact kinds the pattern reads.
    public var kinds: [String]
    /// The line pattern (PCRE2), with a named group `value`.
    public var regex: String
    /// What the fact is, for reports and `rules explain`.
    public var description: String

    /// Creates a fact definition.
    public init(name: String, kinds: [String], regex: String, description: String) {
        self.name = name
        self.kinds = kinds
        self.regex = regex
        self.description = description
    }
}
