/// A problem in a knowledge-base file, with a stable code and the place it was found.
///
/// Renders as `path:line:col: error[KB003]: message`, the form editors and CI logs link to.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// A stable diagnostic code; the number never changes meaning.
    public enum Code: String, Sendable, CaseIterable {
        /// The file is not valid YAML.
        case yamlSyntax = "KB001"
        /// A required key is missing.
        case missingKey = "KB002"
        /// A key is not part of the rule language.
        case unknownKey = "KB003"
        /// A value has the wrong type or is not one of the allowed values.
        case invalidValue = "KB004"
        /// A rule's id differs from its file name, or is not UPPER-KEBAB-CASE.
        case idMismatch = "KB005"
        /// Two rules share an id.
        case duplicateId = "KB006"
        /// A regular expression does not compile.
        case invalidRegex = "KB007"
        /// An XPath expression does not compile.
        case invalidXPath = "KB008"
        /// `applies_to` names an artifact kind the knowledge base does not define.
        case unknownArtifactKind = "KB009"
        /// A rule lacks triggering or non-triggering examples.
        case missingExamples = "KB010"
        /// A rule has no references.
        case missingReferences = "KB011"
        /// A deprecated rule does not name its replacement.
        case deprecatedWithoutReplacement = "KB012"
        /// An example's artifact is of none of the rule's kinds.
        case exampleArtifactKind = "KB013"
        /// A regex has no literal the prefilter can use: it is confirmed on every line.
        case noPrefilterLiteral = "KB014"
        /// A tuning entry names a rule the knowledge base does not have, or is malformed.
        case tuning = "KB015"
        /// The message uses a `{{placeholder}}` the rule's conditions never fill: it would read `?`.
        case unknownPlaceholder = "KB016"
        /// A text the rule skeleton left to fill in (`TODO`, an `example.org` address) is still there.
        case unfinished = "KB017"
        /// An example's marker marks nothing: a `↓` after other text, or a marker in a non-triggering example.
        case misplacedMarker = "KB018"
        /// A rule is in the folder of another category (`stability/` holding a `performance` rule).
        case categoryFolder = "KB019"
        /// The rule files changed since `knowledge-base.yaml` recorded their digest: raise the version.
        case versionNotRaised = "KB020"
        /// A double-quoted regex holds a control character YAML made of an escape (`"\b"`, a backspace).
        case escapeInDoubleQuotes = "KB021"
        /// A regex repeats a group that holds an unbounded quantifier (`(a+)+`): it can backtrack
        /// catastrophically, and a scan gives up on such lines with a `pattern-budget` warning.
        case nestedQuantifier = "KB022"
    }

    /// How bad it is.
    public enum Level: String, Sendable, CaseIterable {
        /// The knowledge base cannot be used.
        case error
        /// Worth fixing; the knowledge base still works.
        case warning
    }

    /// The stable code.
    public var code: Code
    /// How bad it is.
    public var level: Level
    /// The file's path.
    public var file: String
    /// The line, from 1 (0 when unknown).
    public var line: Int
    /// The column, from 1 (0 when unknown).
    public var column: Int
    /// A lower-case sentence naming the key and what is wrong.
    public var message: String

    /// Creates a diagnostic.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - level: How bad it is.
    ///   - file: The file's path.
    ///   - line: The line, from 1.
    ///   - column: The column, from 1.
    ///   - message: What is wrong.
    public init(_ code: Code, _ level: Level = .error, file: String, line: Int, column: Int, _ message: String) {
        self.code = code
        self.level = level
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:col: error[KB003]: message`.
    public var description: String {
        "\(file):\(line):\(column): \(level.rawValue)[\(code.rawValue)]: \(message)"
    }
}

/// Why a knowledge base could not be loaded or compiled.
public enum KnowledgeBaseError: Error, CustomStringConvertible {
    /// The folder does not exist or holds no `knowledge-base.yaml`.
    case notFound(path: String)
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// Files have errors; each diagnostic names the file, the key and what is wrong.
    case invalid([Diagnostic])

    /// A message naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .notFound(path):
            return "knowledge base not found: \(path) (expected a folder with knowledge-base.yaml)"
        case let .unreadable(path, reason):
            return "cannot read knowledge-base file \(path): \(reason)"
        case let .invalid(diagnostics):
            let errors = diagnostics.filter { $0.level == .error }
            return "invalid knowledge base (\(errors.count) error\(errors.count == 1 ? "" : "s")):\n"
                + errors.map(\.description).joined(separator: "\n")
        }
    }
}
