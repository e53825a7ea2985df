import Foundation
import Testing

/// The maintainers' commands through the real binary, on a copy of the project's knowledge base.
@Suite(.serialized)
struct RulesCommandTests {
    /// A copy of KnownIssues/ in a temporary folder, safe to break.
    static func knowledgeBaseCopy() throws -> URL {
        let folder = try CLI.temporaryFolder()
        try CLI.shell("cp -R '\(CLI.knownIssues)/.' .", in: folder)
        return folder
    }

    @Test func lintAndTestPassOnTheKnowledgeBaseAndTestRunsInSeconds() throws {
        let lint = try CLI.sysscan(["rules", "lint"])
        #expect(lint.status == 0, "\(lint.stdout)")
        let started = Date()
        let test = try CLI.sysscan(["rules", "test"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains(" passed, 0 failed: "))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func aRuleWhoseRegexIsBrokenOnPurposeMakesRulesTestFail() throws {
        let kb = try Self.knowledgeBaseCopy()
        let path = kb.appendingPathComponent("stability/JVM-OOM-JAVA-HEAP.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        let broken = text.replacingOccurrences(of: "Java heap space'", with: "Java heap spaec'")
        #expect(broken != text)
        try broken.write(to: path, atomically: true, encoding: .utf8)
        let result = try CLI.sysscan(["rules", "test", "--knowledge-base", kb.path, "JVM-OOM-JAVA-HEAP"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL \(path.path):"))
        #expect(result.stdout.contains("JVM-OOM-JAVA-HEAP [none] triggering example did not fire"))
        #expect(result.stdout.contains("0 passed, 1 failed: 1 rules"))
    }

    @Test func aNewSkeletonLintsCleanButForItsExamples() throws {
        let kb = try Self.knowledgeBaseCopy()
        for kind in ["log", "xpath", "property", "directive", "jvm_option", "file"] {
            let id = "NEW-\(kind.uppercased().replacingOccurrences(of: "_", with: "-"))-RULE"
            let created = try CLI.sysscan([
                "rules", "new", id, "--category", "stability", "--kind", kind, "--knowledge-base", kb.path,
            ])
            #expect(created.status == 0, "\(created.stderr)")
        }
        let lint = try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path])
        let lines = lint.stdout.split(separator: "\n")
        #expect(lines.count == 6, "\(lint.stdout)")
        #expect(lines.allSatisfy { $0.contains("error[KB010]") })
        let again = try CLI.sysscan([
            "rules", "new", "NEW-LOG-RULE", "--category", "stability", "--kind", "log", "--knowledge-base", kb.path,
        ])
        #expect(again.status == 3, "an existing rule is never overwritten")
    }

    @Test func listAndExplainDescribeTheRules() throws {
        let list = try CLI.sysscan(["rules", "list", "--category", "security", "--json"])
        let json = try list.json()
        let rules = try #require(json["rules"] as? [[String: Any]])
        #expect(!rules.isEmpty)
        #expect(rules.allSatisfy { $0["category"] as? String == "security" })
        let explain = try CLI.sysscan(["rules", "explain", "TOMCAT-AJP-NO-SECRET"])
        #expect(explain.stdout.contains("Fires when:"))
        #expect(explain.stdout.contains("tomcat-server-xml (xml): **/conf/server.xml"))
        #expect(explain.stdout.contains("cve: CVE-2020-1938"))
        #expect(explain.stdout.contains("  ↓ "))
        #expect(try CLI.sysscan(["rules", "explain", "NO-SUCH-RULE"]).status == 3)
    }

    @Test func tuningSuppressesAndReRatesFindingsAndSaysSo() throws {
        let folder = try CLI.temporaryFolder()
        let tuning = folder.appendingPathComponent("tuning.yaml")
        try """
        tuning:
          - rule: TOMCAT-SHUTDOWN-PORT-DEFAULT-COMMAND
            system: appnode-01
            action: suppress
            reason: shutdown port firewalled to loopback (CHG-1234)
          - rule: JVM-GC-LONG-FULL-PAUSE
            action: severity
            severity: low
            reason: batch node, long pauses are tolerated
          - rule: JVM-OOM-JAVA-HEAP
            action: suppress
            reason: expired on purpose
            expires: 2020-01-01
          - rule: NO-SUCH-RULE
            action: suppress
            reason: typo
        """.write(to: tuning, atomically: true, encoding: .utf8)
        let result = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "json", "--tuning", tuning.path,
        ])
        let report = try result.json()
        let findings = try #require(report["findings"] as? [[String: Any]])
        let suppressed = try #require(report["suppressed"] as? [[String: Any]])
        #expect(!findings.contains { $0["rule"] as? String == "TOMCAT-SHUTDOWN-PORT-DEFAULT-COMMAND" })
        #expect(suppressed.map { $0["rule"] as? String } == ["TOMCAT-SHUTDOWN-PORT-DEFAULT-COMMAND"])
        #expect(suppressed.first?["tuning_reason"] as? String == "shutdown port firewalled to loopback (CHG-1234)")
        let gc = try #require(findings.first { $0["rule"] as? String == "JVM-GC-LONG-FULL-PAUSE" })
        #expect(gc["severity"] as? String == "low")
        #expect(gc["original_severity"] as? String == "high")
        #expect(findings.contains { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" }, "an expired entry is not applied")
        let warnings = (report["warnings"] as? [[String: Any]] ?? []).filter {
            $0["code"] as? String == "tuning-not-applied"
        }
        #expect(warnings.count == 2)
        let otherSystem = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "json", "--tuning", tuning.path, "--system", "other",
        ]).json()
        #expect(
            (otherSystem["suppressed"] as? [Any])?.isEmpty == true,
            "a system-specific entry applies to that system only")
    }
}
