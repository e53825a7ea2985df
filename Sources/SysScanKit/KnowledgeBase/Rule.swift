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
    /// The products the issue concerns.
    public var products: [String] = []
    /// The versions it concerns, as text.
    public var versions: [String] = []
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
    /// Example mutations the rule opts out of, with the reason.
    public var mutationsOptOut: [String: String] = [:]
}

/// An inline example of a rule file: one or more fake artifacts, with the lines the finding must cite.
public struct RuleExample: Sendable {
    /// One fake artifact of an example.
    public struct File: Sendable {
        /// The artifact's path inside an upload; it decides the artifact kind.
        public var artifact: String
        /// The content, with the `↓` markers removed.
        public var content: String
        /// The numbers (from 1) of the lines marked with `↓`.
        public var markedLines: [Int]

        /// Creates a file from content in which lines starting with `↓` are marked.
        ///
        /// - Parameters:
        ///   - artifact: The artifact's path inside an upload.
        ///   - markedContent: The content; a `↓` at the start of a line marks it and is removed.
        public init(artifact: String, markedContent: String) {
            self.artifact = artifact
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

    /// The example's artifacts.
    public var files: [File]
    /// The line of the example in the rule file.
    public var fileLine: Int

    /// Creates an example of one artifact.
    ///
    /// - Parameters:
    ///   - artifact: The artifact's path inside an upload.
    ///   - markedContent: The content; a `↓` at the start of a line marks it and is removed.
    ///   - fileLine: The example's line in the rule file.
    public init(artifact: String, markedContent: String, fileLine: Int = 0) {
        self.init(files: [File(artifact: artifact, markedContent: markedContent)], fileLine: fileLine)
    }

    /// Creates an example of several artifacts.
    ///
    /// - Parameters:
    ///   - files: The artifacts.
    ///   - fileLine: The example's line in the rule file.
    public init(files: [File], fileLine: Int = 0) {
        self.files = files
        self.fileLine = fileLine
    }

    /// The first artifact's path.
    public var artifact: String { files.first?.artifact ?? "" }
    /// The first artifact's content.
    public var content: String { files.first?.content ?? "" }
    /// The first artifact's marked lines.
    public var markedLines: [Int] { files.first?.markedLines ?? [] }
}
