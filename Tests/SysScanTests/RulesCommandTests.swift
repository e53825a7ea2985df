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

    /// How long `rules test` takes is shown in its summary line; speed is measured by the benchmarks, not here.
    @Test func lintAndTestPassOnTheKnowledgeBase() throws {
        let lint = try CLI.sysscan(["rules", "lint"])
        #expect(lint.status == 0, "\(lint.stdout)")
        let test = try CLI.sysscan(["rules", "test"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains(" passed, 0 failed: "))
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
        let failures = result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }
        #expect(
            failures == [
                "FAIL \(path.path):23: JVM-OOM-JAVA-HEAP: triggering example 1 (logs/catalina.out)",
                "FAIL \(path.path):29: JVM-OOM-JAVA-HEAP: triggering example 2 (logs/orders.log)",
            ], "one report per example, not one per mutation: \(result.stdout)")
        #expect(
            result.stdout.contains(
                "  did not fire (under every mutation)\n    marked line 25: 20-Nov-2026 14:05:51.902 SEVERE"))
        #expect(result.stdout.contains("    marked line 26: \tjava.lang.OutOfMemoryError: Java heap space\n"))
        #expect(result.stdout.contains("0 passed, 1 failed: 1 rules"))
    }

    @Test func rulesTestOfAnUnknownIdFailsWithADidYouMean() throws {
        let result = try CLI.sysscan(["rules", "test", "TOMCAT-AJP-SECRET"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "no rule 'TOMCAT-AJP-SECRET' in the knowledge base; did you mean 'TOMCAT-AJP-NO-SECRET'?"))
        #expect(!result.stdout.contains("passed"))
    }

    @Test func rulesTestFailsOnAFreshSkeletonWithoutExamples() throws {
        let kb = try Self.knowledgeBaseCopy()
        let created = try CLI.sysscan([
            "rules", "new", "NEW-RULE", "--category", "stability", "--condition", "log", "--knowledge-base", kb.path,
        ])
        #expect(created.status == 0)
        let result = try CLI.sysscan(["rules", "test", "--knowledge-base", kb.path, "NEW-RULE"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("NEW-RULE: triggering example missing"))
        #expect(result.stdout.contains("0 passed, 1 failed"))
    }

    @Test func aNewSkeletonFailsLintUntilItsTODOTextsAndExamplesAreReplaced() throws {
        let kb = try Self.knowledgeBaseCopy()
        let conditions = ["log", "xpath", "property", "directive", "jvm_option", "file"]
        for condition in conditions {
            let id = "NEW-\(condition.uppercased().replacingOccurrences(of: "_", with: "-"))-RULE"
            let created = try CLI.sysscan([
                "rules", "new", id, "--category", "stability", "--condition", condition, "--knowledge-base", kb.path,
            ])
            #expect(created.status == 0, "\(created.stderr)")
        }
        let lint = try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path])
        #expect(lint.status == 1)
        let all = lint.stdout.split(separator: "\n")
        #expect(all.filter { $0.contains("warning[KB020]") }.count == 1, "new rule files change the digest")
        let lines = all.filter { !$0.contains("warning[KB020]") }
        #expect(lines.allSatisfy { $0.contains("/stability/NEW-") }, "\(lint.stdout)")
        #expect(lines.filter { $0.contains("error[KB010]") }.count == conditions.count)
        for field in ["'title'", "'message'", "'recommendation'", "'references[].article'", "'references[].url'"] {
            #expect(
                lines.filter { $0.contains("error[KB017]: \(field)") }.count == conditions.count,
                "\(field): \(lint.stdout)")
        }
        let again = try CLI.sysscan([
            "rules", "new", "NEW-LOG-RULE", "--category", "stability", "--condition", "log", "--knowledge-base",
            kb.path,
        ])
        #expect(again.status == 3, "an existing rule is never overwritten")
    }

    @Test func rulesNewRefusesAnIdThatExistsInAnotherCategory() throws {
        let kb = try Self.knowledgeBaseCopy()
        let result = try CLI.sysscan([
            "rules", "new", "TOMCAT-AJP-NO-SECRET", "--category", "stability", "--condition", "xpath",
            "--knowledge-base", kb.path,
        ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("security/TOMCAT-AJP-NO-SECRET.yaml"))
        #expect(
            !FileManager.default.fileExists(
                atPath: kb.appendingPathComponent("stability/TOMCAT-AJP-NO-SECRET.yaml").path))
    }

    @Test func rulesNewNamesTheConditionNotAKind() throws {
        let kb = try Self.knowledgeBaseCopy()
        let old = try CLI.sysscan([
            "rules", "new", "NEW-RULE", "--category", "stability", "--kind", "log", "--knowledge-base", kb.path,
        ])
        #expect(old.status == 2)
        let help = try CLI.sysscan(["rules", "new", "--help"])
        #expect(help.stdout.contains("--condition <condition>"))
    }

    @Test func rulesKindsListsTheArtifactKindsInOrderWithUploadLast() throws {
        let result = try CLI.sysscan(["rules", "kinds"])
        #expect(result.status == 0)
        let names = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names.first == "tomcat-server-xml")
        #expect(names.contains("jvm-gc-log"))
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.dropLast().last?.hasPrefix("upload ") == true)
        #expect(
            rows.contains {
                $0.hasPrefix("tomcat-server-xml ") && $0.contains("xml") && $0.contains("**/conf/server.xml")
            })
        let json = try CLI.sysscan(["rules", "kinds", "--json"]).json()
        let kinds = try #require(json["kinds"] as? [[String: Any]])
        #expect(kinds.last?["name"] as? String == "upload")
        #expect(kinds.first?["paths"] as? [String] == ["**/conf/server.xml", "server.xml"])
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
        let unknown = try CLI.sysscan(["rules", "explain", "TOMCAT-AJP-NO-SECRT"])
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr.contains(
                "no rule 'TOMCAT-AJP-NO-SECRT' in the knowledge base; did you mean 'TOMCAT-AJP-NO-SECRET'?"))
    }

    @Test func rulesListJSONShapesTheKnowledgeBaseAndReferencesAsTheScanReportDoes() throws {
        let list = try CLI.sysscan(["rules", "list", "--json"]).json()
        let scan = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"]).json()
        #expect(list["schema_version"] as? Int == 1)
        let listed = try #require(list["knowledge_base"] as? [String: AnyHashable])
        let scanned = try #require(scan["knowledge_base"] as? [String: AnyHashable])
        #expect(listed == scanned, "version, rule count and digest, under the same keys")
        #expect((listed["digest"] as? String)?.count == 16)
        let rules = try #require(list["rules"] as? [[String: Any]])
        let findings = try #require(scan["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String == "TOMCAT-AJP-NO-SECRET" })
        let rule = try #require(rules.first { $0["id"] as? String == "TOMCAT-AJP-NO-SECRET" })
        let listedReferences = try #require(rule["references"] as? [[String: AnyHashable]])
        let reportedReferences = try #require(finding["references"] as? [[String: AnyHashable]])
        #expect(listedReferences == reportedReferences)
        #expect(
            listedReferences.contains { reference in
                reference["type"] as? String == "cve" && reference["id"] as? String == "CVE-2020-1938"
            })
        let digest = try #require(listed["digest"] as? String)
        let version = try #require(listed["version"] as? String)
        let text = try CLI.sysscan(["rules", "list"])
        #expect(text.stdout.hasSuffix("rules, knowledge base \(version) (rules digest \(digest))\n"))
    }

    @Test func lintWritesSARIFJSONAndGitHubAnnotationsForCI() throws {
        let kb = try Self.knowledgeBaseCopy()
        let path = kb.appendingPathComponent("stability/JVM-OOM-JAVA-HEAP.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(
            of: "applies_to: [tomcat-log, app-log]", with: "applies_to: [tomcat-logs, app-log]"
        )
        .write(to: path, atomically: true, encoding: .utf8)
        let sarif = try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path, "--format", "sarif"])
        #expect(sarif.status == 1)
        let log = try sarif.json()
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["ruleId"] as? String }.sorted() == ["KB009", "KB013", "KB013", "KB020"])
        let result = try #require(results.first { $0["ruleId"] as? String == "KB009" })
        #expect(
            (result["message"] as? [String: Any])?["text"] as? String == """
                'applies_to' names the unknown artifact kind 'tomcat-logs' (kinds are defined in knowledge-base.yaml; \
                sysscan rules kinds lists them); did you mean 'tomcat-log'?
                """)
        let location = try #require(
            (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 6)
        let json = try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path, "--format", "json"]).json()
        #expect(
            (json["summary"] as? [String: Any])?["errors"] as? Int == 3,
            "KB009 and KB013 for each example of a tomcat-log")
        #expect(
            (json["diagnostics"] as? [[String: Any]])?.contains { $0["code"] as? String == "KB009" } == true)
        let github = try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path, "--format", "github"])
        #expect(github.stdout.contains("::error file=\(path.path),line=6,col=13,title=KB009::'applies_to' names"))
        #expect(github.stdout.contains("::warning file=\(kb.path)/knowledge-base.yaml,line="))
        #expect(github.status == 1)
    }

    @Test func aDuplicateRuleFileIsSkippedWithAWarningAndFailsOnlyUnderStrict() throws {
        let kb = try Self.knowledgeBaseCopy()
        try FileManager.default.copyItem(
            at: kb.appendingPathComponent("security/TOMCAT-AJP-NO-SECRET.yaml"),
            to: kb.appendingPathComponent("stability/TOMCAT-AJP-NO-SECRET.yaml"))
        let sample = CLI.sample("appserver-node").path
        let scan = try CLI.sysscan(["scan", sample, "--knowledge-base", kb.path, "--format", "json"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(
            scan.stderr.contains("sysscan: warning: rule file \(kb.path)/stability/TOMCAT-AJP-NO-SECRET.yaml skipped"))
        let report = try scan.json()
        let warnings = (report["warnings"] as? [[String: Any]] ?? []).filter {
            $0["code"] as? String == "rule-file-skipped"
        }
        #expect(warnings.map { $0["artifact"] as? String } == ["\(kb.path)/stability/TOMCAT-AJP-NO-SECRET.yaml"])
        let findings = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(findings.contains("TOMCAT-AJP-NO-SECRET"), "the rule kept still runs")
        let strict = try CLI.sysscan(["scan", sample, "--knowledge-base", kb.path, "--strict"])
        #expect(strict.status == 3)
        #expect(strict.stderr.contains("error[KB006]"))
        #expect(try CLI.sysscan(["rules", "lint", "--knowledge-base", kb.path]).status == 1)
        let test = try CLI.sysscan(["rules", "test", "--knowledge-base", kb.path])
        #expect(test.status == 1)
        #expect(test.stdout.contains("FAIL \(kb.path)/stability/TOMCAT-AJP-NO-SECRET.yaml: not loaded:"))
    }

    @Test func theSpoolScansPastABadRuleFileAndRefusesItUnderStrict() throws {
        let kb = try Self.knowledgeBaseCopy()
        try "id: BROKEN\ntitle: [x\n".write(
            to: kb.appendingPathComponent("stability/BROKEN.yaml"), atomically: true, encoding: .utf8)
        let root = try SpoolHarness.spool()
        try SpoolHarness.drop(try SpoolHarness.archive(), as: "C1234567_node_2026-11-20.tgz", in: root)
        let strict = try SpoolHarness.once(root, ["--knowledge-base", kb.path, "--strict"])
        #expect(strict.status == 3, "\(strict.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("incoming/C1234567_node_2026-11-20.tgz").path))
        let run = try SpoolHarness.once(root, ["--knowledge-base", kb.path])
        #expect(run.status == 0, "\(run.stderr)")
        let report = root.appendingPathComponent("done/C1234567_node_2026-11-20.tgz/report.json")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(CLI.warningCodes(json).contains("rule-file-skipped"))
        #expect(
            (json["findings"] as? [[String: Any]])?.contains { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" } == true)
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
          - rule: JVM-GC-LONG-FULL-PAUSES
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
        #expect(warnings.count == 3)
        #expect(
            warnings.contains {
                ($0["message"] as? String)?.hasSuffix(
                    "tuning names the unknown rule 'JVM-GC-LONG-FULL-PAUSES'; not applied; did you mean 'JVM-GC-LONG-FULL-PAUSE'?"
                )
                    == true
            })
        let otherSystem = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "json", "--tuning", tuning.path, "--system", "other",
        ]).json()
        #expect(
            (otherSystem["suppressed"] as? [Any])?.isEmpty == true,
            "a system-specific entry applies to that system only")
    }
}
