import Foundation
import Testing

@testable import SysScanKit

/// An experimental rule's finding is reported, marked experimental in every format, and does not drive
/// the suggested case severity (in the scan's report nor in the case view of the history).
struct ExperimentalStatusTests {
    static let connector = "<Server>\n<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n</Server>\n"

    /// A scan of a server.xml with an open AJP connector (a critical finding of `AJP-OPEN`), whose rule has
    /// `status`, under the project's support policy.
    static func report(status: String) throws -> ScanReport {
        let rule = Fixtures.ajpRule.replacingOccurrences(
            of: "severity: critical\n", with: "severity: critical\nstatus: \(status)\n")
        #expect(rule != Fixtures.ajpRule)
        let folder = try Fixtures.knowledgeBase(["AJP-OPEN": rule])
        let compiled = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        var options = ScanOptions()
        options.policy = try SupportPolicy.load(path: Fixtures.knownIssues + "/support-policy.yaml")
        return Scanner(knowledgeBase: compiled, options: options).scan(
            artifacts: [("conf/server.xml", Array(Self.connector.utf8))])
    }

    @Test func aStableCriticalFindingSuggestsSeverityOne() throws {
        let report = try Self.report(status: "stable")
        #expect(report.findings.first?.status == .stable)
        #expect(report.suggestedCaseSeverity == 1)
    }

    @Test func anExperimentalFindingIsReportedButDoesNotDriveTheSuggestedSeverity() throws {
        let report = try Self.report(status: "experimental")
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "AJP-OPEN" && finding.status == .experimental)
        #expect(report.suggestedCaseSeverity == 3)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        #expect((json["findings"] as? [[String: Any]])?.first?["status"] as? String == "experimental")
        #expect(TextReport(colour: false).render(report).contains("AJP-OPEN [experimental]  AJP without secret"))
        #expect(MarkdownReport.render(report).contains("## CRITICAL AJP-OPEN (experimental): AJP without secret"))
        #expect(HTMLReport.render(report).contains("<code>AJP-OPEN</code> <span class=\"status\""))
    }

    @Test func theCaseViewLeavesExperimentalFindingsOutOfItsSuggestedSeverity() throws {
        let folder = try Fixtures.temporaryFolder()
        let store = try ScanStore(path: folder.appendingPathComponent("history.sqlite").path)
        var report = try Self.report(status: "experimental")
        report.metadata.supportCase = "C1234567"
        _ = try store.record(report, upload: "upload.tgz", sha256: "")
        let policy = try SupportPolicy.load(path: Fixtures.knownIssues + "/support-policy.yaml")
        let view = try CaseView(store: store, number: "C1234567", policy: policy, plan: nil)
        #expect(view.openFindings.map(\.status) == ["experimental"])
        #expect(view.suggestedSeverity == 3)
    }

    @Test func aReportRecordedBeforeStatusesWereKeptReadsAsStable() throws {
        let report = try Self.report(status: "experimental")
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        var findings = try #require(object["findings"] as? [[String: Any]])
        findings[0]["status"] = nil
        object["findings"] = findings
        let old = try JSONDecoder().decode(ScanReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.findings.first?.status == nil)
        #expect(old.findings.first?.drivesCaseSeverity == true)
    }
}
