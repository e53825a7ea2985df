/// One known issue of the knowledge base, as its rule file states it.
public struct Rule: Sendable {
    /// Whether a rule is ready for use.
    public enum Status: String, Sendable, CaseIterable {
        /// New; findings may need a second look.
        case experimental
        /// Verified.
        case stable
        /// Kept for history; `replacedBy` names its successor.
        case deprecated
    }

    /// The stable id, UPPER-KEBAB-CASE, equal to the file name.
    public var id: String
    /// A one-line title.
    public var title: String
    /// What the issue threatens.
    public var category: Category
    /// How serious a finding is.
    public var severity: Severity
    /// Whether the rule is ready for use.
    public var status: Status
    /// The id of the rule that replaces a deprecated one.
    public var replacedBy: String?
    /// The artifact kinds the rule reads.
    public var appliesTo: [String]
    /// What must hold for the rule to fire.
    public var condition: Condition
    /// The finding's message; `{{name}}` placeholders take values from what matched.
    public var message: String
    /// What to do.
    public var recommendation: String
    /// Where the issue is documented.
    public var references: [Reference]
    /// Inline examples the rule must fire on.
    public var triggeringExamples: [RuleExample]
    /// Inline examples the rule must not fire on.
    public var nonTriggeringExamples: [RuleExample]
    /// The rule file's path.
    public var file: String
}

/// What must hold for a rule to fire.
public enum Condition: Sendable {
    /// Lines of the rule's artifacts match a regular expression, at least `minCount` times in the upload.
    case log(LogCondition)
    /// An XPath expression selects nodes of the rule's XML artifacts; one match per node.
    case xpath(String)
    /// A key of the rule's Java `.properties` artifacts compares to a value.
    case property(PropertyCondition)
}

/// A condition on log lines.
public struct LogCondition: Sendable {
    /// The regular expression, PCRE2 syntax, matched against each line without its line end.
    public var regex: String
    /// Whether letters match regardless of case.
    public var ignoreCase: Bool
    /// The number of matching lines in the upload needed to fire.
    public var minCount: Int
}

/// A condition on a key of a Java `.properties` file, on its effective value.
public struct PropertyCondition: Sendable {
    /// How the key's value is compared.
    public enum Operator: String, Sendable, CaseIterable {
        /// Equal as text (or as numbers when both are numbers).
        case eq
        /// Not equal.
        case ne
        /// Numerically less than.
        case lt
        /// Numerically at most.
        case le
        /// Numerically greater than.
        case gt
        /// Numerically at least.
        case ge
        /// Contains the text.
        case contains
        /// Does not contain the text.
        case notContains = "not_contains"
        /// Matches a regular expression (PCRE2).
        case matches
        /// The key is set.
        case present
        /// The key is not set.
        case absent

        /// Whether the operator takes a `value`.
        public var needsValue: Bool { self != .present && self != .absent }
        /// Whether the operator compares numbers.
        public var isNumeric: Bool { [.lt, .le, .gt, .ge].contains(self) }
    }

    /// The key.
    public var key: String
    /// The comparison.
    public var op: Operator
    /// The value compared with.
    public var value: String?
    /// The value the application uses when the key is absent; without it an absent key never fires
    /// (except with `absent`).
    public var defaultValue: String?
}

/// An inline example of a rule file: a fake artifact, with the lines the finding must cite.
public struct RuleExample: Sendable {
    /// The artifact's path inside an upload; it decides the artifact kind.
    public var artifact: String
    /// The content, with the `↓` markers removed.
    public var content: String
    /// The numbers (from 1) of the lines marked with `↓`.
    public var markedLines: [Int]
    /// The line of the example in the rule file.
    public var fileLine: Int

    /// Creates an example from content in which lines starting with `↓` are marked.
    ///
    /// - Parameters:
    ///   - artifact: The artifact's path inside an upload.
    ///   - markedContent: The content; a `↓` at the start of a line marks it and is removed.
    ///   - fileLine: The example's line in the rule file.
    public init(artifact: String, markedContent: String, fileLine: Int = 0) {
        self.artifact = artifact
        self.fileLine = fileLine
        var lines: [Substring] = []
        var marked: [Int] = []
        for (index, line) in markedContent.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("↓") {
                marked.append(index + 1)
                lines.append(line.dropFirst())
            } else {
                lines.append(line)
            }
        }
        self.content = lines.joined(separator: "\n")
        self.markedLines = marked
    }
}
