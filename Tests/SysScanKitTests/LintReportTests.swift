import Foundation
import Testing

@testable import SysScanKit

/// `rules lint --format`: the same diagnostics as text, JSON, SARIF and GitHub annotations.
struct LintReportTests {
    static let diagnostics = [
        Diagnostic(.unknownKey, file: "KnownIssues/a b.yaml", line: 3, column: 1, "unknown key 'titel'"),
        Diagnostic(.noPrefilterLiteral, .warning, file: "/kb/x.yaml", line: 8, column: 5, "100% slow, really:\nyes"),
    ]

    @Test func textIsOneLinePerDiagnostic() {
        let text = LintReport.render(Self.diagnostics, format: .text, ruleFiles: 2)
        #expect(text == Self.diagnostics.map { $0.description + "\n" }.joined())
    }

    @Test func githubAnnotationsEscapeTheirProperties() {
        let text = LintReport.render(Self.diagnostics, format: .github, ruleFiles: 2)
        #expect(
            text == """
                ::error file=KnownIssues/a b.yaml,line=3,col=1,title=KB003::unknown key 'titel'
                ::warning file=/kb/x.yaml,line=8,col=5,title=KB014::100%25 slow, really:%0Ayes

                """)
    }

    @Test func jsonHasASchemaVersionTheDiagnosticsAndASummary() throws {
        let text = LintReport.render(Self.diagnostics, format: .json, ruleFiles: 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["rule_files": 2, "errors": 1, "warnings": 1])
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(
            first["code"] as? String == "KB003" && first["line"] as? Int == 3 && first["level"] as? String == "error")
    }

    @Test func sarifNamesEveryCodeAsARuleAndEachDiagnosticAsAResult() throws {
        let text = LintReport.render(Self.diagnostics, format: .sarif, ruleFiles: 2)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Diagnostic.Code.allCases.map(\.rawValue))
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        #expect(results.map { $0["ruleIndex"] as? Int } == [2, 13])
        let locations = results.compactMap {
            ($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        }
        let uris = locations.compactMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uris == ["KnownIssues/a%20b.yaml", "file:///kb/x.yaml"])
    }
}
