import Foundation

/// Renders lint diagnostics for people and for CI: text lines, JSON, SARIF 2.1.0 (code-scanning
/// services) or GitHub Actions workflow commands (annotations on a pull request).
public enum LintReport {
    /// An output format of `rules lint`.
    public enum Format: String, Sendable, CaseIterable {
        /// `path:line:col: error[KB003]: message`, one a line.
        case text
        /// One JSON object: `schema_version`, `diagnostics`, `summary`.
        case json
        /// A SARIF 2.1.0 log with one run.
        case sarif
        /// `::error file=…,line=…,col=…,title=KB003::message`, one a line.
        case github
    }

    /// The version of the JSON layout; raised when a field changes meaning or disappears.
    public static let schemaVersion = 1

    /// Renders `diagnostics` in `format`.
    ///
    /// - Parameters:
    ///   - diagnostics: The diagnostics, in the order to show them.
    ///   - format: The format.
    ///   - ruleFiles: The number of rule files checked (for the JSON summary).
    /// - Returns: The text, ending in a newline (empty for no diagnostic in the line formats).
    public static func render(_ diagnostics: [Diagnostic], format: Format, ruleFiles: Int) -> String {
        switch format {
        case .text: return diagnostics.map { $0.description + "\n" }.joined()
        case .github: return diagnostics.map(github).joined()
        case .json: return json(diagnostics, ruleFiles: ruleFiles)
        case .sarif: return sarif(diagnostics)
        }
    }

    private static func github(_ diagnostic: Diagnostic) -> String {
        func escapeData(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ text: String) -> String {
            escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        var properties = ["file=\(escapeProperty(diagnostic.file))"]
        if diagnostic.line > 0 { properties.append("line=\(diagnostic.line)") }
        if diagnostic.column > 0 { properties.append("col=\(diagnostic.column)") }
        properties.append("title=\(diagnostic.code.rawValue)")
        return
            "::\(diagnostic.level.rawValue) \(properties.joined(separator: ","))::\(escapeData(diagnostic.message))\n"
    }

    private static func json(_ diagnostics: [Diagnostic], ruleFiles: Int) -> String {
        struct Item: Encodable {
            let code: String
            let level: String
            let file: String
            let line: Int
            let column: Int
            let message: String
        }
        struct Summary: Encodable {
            let rule_files: Int
            let errors: Int
            let warnings: Int
        }
        struct Document: Encodable {
            let schema_version = LintReport.schemaVersion
            let diagnostics: [Item]
            let summary: Summary
        }
        let errors = diagnostics.filter { $0.level == .error }.count
        return JSONText.encode(
            Document(
                diagnostics: diagnostics.map {
                    Item(
                        code: $0.code.rawValue, level: $0.level.rawValue, file: $0.file, line: $0.line,
                        column: $0.column, message: $0.message)
                },
                summary: Summary(rule_files: ruleFiles, errors: errors, warnings: diagnostics.count - errors)))
    }

    private static func sarif(_ diagnostics: [Diagnostic]) -> String {
        struct Text: Encodable { let text: String }
        struct Rule: Encodable {
            let id: String
            let shortDescription: Text
        }
        struct Driver: Encodable {
            let name = "sysscan"
            let version = SysScanVersion.current
            let rules: [Rule]
        }
        struct Tool: Encodable { let driver: Driver }
        struct ArtifactLocation: Encodable { let uri: String }
        struct Region: Encodable {
            let startLine: Int
            let startColumn: Int
        }
        struct PhysicalLocation: Encodable {
            let artifactLocation: ArtifactLocation
            let region: Region
        }
        struct Location: Encodable { let physicalLocation: PhysicalLocation }
        struct Result: Encodable {
            let ruleId: String
            let ruleIndex: Int
            let level: String
            let message: Text
            let locations: [Location]
        }
        struct Run: Encodable {
            let tool: Tool
            let results: [Result]
        }
        struct Log: Encodable {
            let version = "2.1.0"
            let schema = "https://json.schemastore.org/sarif-2.1.0.json"
            let runs: [Run]

            enum CodingKeys: String, CodingKey {
                case version
                case schema = "$schema"
                case runs
            }
        }
        let codes = Diagnostic.Code.allCases
        let rules = codes.map { Rule(id: $0.rawValue, shortDescription: Text(text: $0.summary)) }
        let results = diagnostics.map { diagnostic in
            Result(
                ruleId: diagnostic.code.rawValue, ruleIndex: codes.firstIndex(of: diagnostic.code) ?? 0,
                level: diagnostic.level.rawValue, message: Text(text: diagnostic.message),
                locations: [
                    Location(
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: uri(diagnostic.file)),
                            region: Region(startLine: max(diagnostic.line, 1), startColumn: max(diagnostic.column, 1))))
                ])
        }
        return JSONText.encode(Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), results: results)]))
    }

    /// A file path as a SARIF URI: relative paths stay relative (to the folder `rules lint` ran in),
    /// absolute ones become `file://` URIs; characters outside a URI path are percent-encoded.
    private static func uri(_ path: String) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
