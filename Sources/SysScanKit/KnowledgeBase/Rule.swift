/// One known issue of the knowledge base, as its rule file states it.
public struct Rule: Sendable {
    /// Whether a rule is ready for use.
    public enum Status: String, Sendable, CaseIterable, Codable {
        /// New: it runs and its findings are reported, marked experimental, but they may need a second
        /// look, so they do not drive the suggested case severity.
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
        /// The markers of an expected evidence line: `↓`, or `>>` for keyboards without it.
        public static let markers = ["↓", ">>"]

        /// The artifact's path inside an upload; it decides the artifact kind.
        public var artifact: String
        /// The content, with the markers removed.
        public var content: String
        /// The numbers (from 1) of the marked lines.
        public var markedLines: [Int]
        /// The numbers (from 1) of lines holding a `↓` after other text, which is no marker.
        public var misplacedMarkers: [Int] = []
        /// The line of the rule file that holds the content's first line, when the content is a literal
        /// block (`content: |`), whose lines are the file's lines; nil otherwise.
        public var firstLine: Int?

        /// Creates a file from content in which lines starting with a marker are marked.
        ///
        /// A marker (`↓` or `>>`) marks its line when it comes first on it, after any indentation; it is
        /// removed and the indentation kept.
        ///
        /// - Parameters:
        ///   - artifact: The artifact's path inside an upload.
        ///   - markedContent: The content with its markers.
        ///   - firstLine: The rule file's line of the content's first line, if the content is a literal block.
        public init(artifact: String, markedContent: String, firstLine: Int? = nil) {
            self.artifact = artifact
            self.firstLine = firstLine
            var lines: [Substring] = []
            var marked: [Int] = []
            var misplaced: [Int] = []
            for (index, line) in markedContent.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let indentation = line.prefix { $0 == " " || $0 == "\t" }
                let rest = line[indentation.endIndex...]
                if let marker = Self.markers.first(where: { rest.hasPrefix($0) }) {
                    marked.append(index + 1)
                    let unmarked = rest.dropFirst(marker.count)
                    lines.append(Substring(String(indentation) + unmarked))
                    if unmarked.contains("↓") { misplaced.append(index + 1) }
                } else {
                    lines.append(line)
                    if rest.contains("↓") { misplaced.append(index + 1) }
                }
            }
            self.content = lines.joined(separator: "\n")
            self.markedLines = marked
            self.misplacedMarkers = misplaced
        }

        /// The rule file's line of the content's line `line` (from 1), when known.
        public func fileLine(of line: Int) -> Int? { firstLine.map { $0 + line - 1 } }

        /// The text of the content's line `line` (from 1), markers removed.
        public func text(ofLine line: Int) -> String? {
            let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
            return line >= 1 && line <= lines.count ? String(lines[line - 1]) : nil
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
    ///   - markedContent: The content; a marker (`↓` or `>>`) first on a line marks it and is removed.
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
