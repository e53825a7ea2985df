extension Diagnostic.Code {
    /// What the code means, in one line (the SARIF rule's short description).
    public var summary: String {
        switch self {
        case .yamlSyntax: "The file is not valid YAML."
        case .missingKey: "A required key is missing."
        case .unknownKey: "A key is not part of the rule language."
        case .invalidValue: "A value has the wrong type or is not one of the allowed values."
        case .idMismatch: "A rule's id differs from its file name, or is not UPPER-KEBAB-CASE."
        case .duplicateId: "Two rules share an id."
        case .invalidRegex: "A regular expression does not compile."
        case .invalidXPath: "An XPath expression does not compile."
        case .unknownArtifactKind: "applies_to names an artifact kind the knowledge base does not define."
        case .missingExamples: "A rule lacks triggering or non-triggering examples."
        case .missingReferences: "A rule has no references."
        case .deprecatedWithoutReplacement: "A deprecated rule does not name its replacement."
        case .exampleArtifactKind: "An example's artifact is of none of the rule's kinds."
        case .noPrefilterLiteral: "A regex has no literal the prefilter can use: it is confirmed on every line."
        case .tuning: "A tuning entry names an unknown rule, or is malformed."
        case .unknownPlaceholder: "The message uses a placeholder the rule never fills."
        case .unfinished: "A text the rule skeleton left to fill in is still there."
        case .misplacedMarker: "An example's marker marks nothing."
        case .categoryFolder: "A rule is in the folder of another category."
        case .versionNotRaised: "The rule files changed since the version's digest was recorded."
        case .escapeInDoubleQuotes: "A double-quoted regex holds a control character YAML made of an escape."
        case .nestedQuantifier:
            "A regex repeats a group that holds an unbounded quantifier: it can backtrack catastrophically."
        }
    }
}
