import Foundation
import Testing

/// Exit codes, options, metadata and the JSON fields scripts read.
@Suite(.serialized)
struct CommandLineTests {
    static func logUpload(_ text: String, sidecar: String? = nil, rootMetadata: String? = nil) throws -> URL {
        let root = try CLI.temporaryFolder()
        var files = ["upload/logs/app.log": Array(text.utf8)]
        if let sidecar { files["upload.properties"] = Array(sidecar.utf8) }
        if let rootMetadata { files["upload/sysscan.properties"] = Array(rootMetadata.utf8) }
        try CLI.write(files, below: root)
        return root.appendingPathComponent("upload")
    }

    static let oom = "2026-11-20 10:15:30,123 SEVERE [main] java.lang.OutOfMemoryError: Java heap space\n"

    @Test func exitCodesFollowFailOn() throws {
        let upload = try Self.logUpload(Self.oom)
        #expect(try CLI.sysscan(["scan", upload.path]).status == 0)
        #expect(try CLI.sysscan(["scan", upload.path, "--fail-on", "high"]).status == 1)
        #expect(try CLI.sysscan(["scan", upload.path, "--fail-on", "critical"]).status == 0)
        #expect(try CLI.sysscan([upload.path, "--fail-on", "high"]).status == 1, "scan is the default subcommand")
    }

    @Test func usageErrorsExitWith2AndSayWhy() throws {
        let upload = try Self.logUpload(Self.oom)
        let badCase = try CLI.sysscan(["scan", upload.path, "--case", "1234567"])
        #expect(badCase.status == 2)
        #expect(badCase.stderr.contains("--case '1234567' is not a case number"))
        #expect(try CLI.sysscan(["scan", upload.path, "--format", "yaml"]).status == 2)
        #expect(try CLI.sysscan(["scan"]).status == 2)
        #expect(try CLI.sysscan(["scan", upload.path, "--no-such-option"]).status == 2)
    }

    @Test func anInvalidRuleFileIsSkippedWithAWarningAndExitsWith3UnderStrict() throws {
        let upload = try Self.logUpload(Self.oom)
        let kb = try CLI.temporaryFolder()
        try CLI.shell("cp -R '\(CLI.knownIssues)/.' .", in: kb)
        let rule = try #require(
            FileManager.default.enumerator(atPath: kb.path)?.compactMap { $0 as? String }.first {
                $0.hasSuffix("JVM-OOM-JAVA-HEAP.yaml")
            })
        let path = kb.appendingPathComponent(rule)
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "severity:", with: "severty:").write(
            to: path, atomically: true, encoding: .utf8)
        let skipping = try CLI.sysscan(["scan", upload.path, "--knowledge-base", kb.path])
        #expect(skipping.status == 0)
        #expect(
            skipping.stderr.contains("warning: rule file \(path.path) skipped: line 4: KB003 unknown key 'severty'"))
        #expect(skipping.stdout.contains("[rule-file-skipped] rule file \(path.path) skipped"))
        let result = try CLI.sysscan(["scan", upload.path, "--knowledge-base", kb.path, "--strict"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(path.path):"))
        #expect(result.stderr.contains("error[KB003]: unknown key 'severty'"))
        try "version: [\n".write(
            to: kb.appendingPathComponent("knowledge-base.yaml"), atomically: true, encoding: .utf8)
        let manifest = try CLI.sysscan(["scan", upload.path, "--knowledge-base", kb.path])
        #expect(manifest.status == 3, "a broken knowledge-base.yaml is always fatal")
    }

    @Test func theJSONReportHasTheFieldsScriptsRead() throws {
        let upload = try Self.logUpload(Self.oom)
        let result = try CLI.sysscan(["scan", upload.path, "--format", "json", "--case", "C1234567"])
        let report = try result.json()
        #expect(report["schema_version"] as? Int == 1)
        #expect(report["case"] as? String == "C1234567")
        #expect(report["warnings"] is [Any])
        #expect((report["input"] as? [String: Any])?["name"] as? String == "upload")
        #expect((report["knowledge_base"] as? [String: Any])?["version"] is String)
        let finding = try #require((report["findings"] as? [[String: Any]])?.first)
        for key in [
            "rule", "title", "category", "severity", "count", "references", "evidence", "message", "recommendation",
        ] {
            #expect(finding[key] != nil, "finding lacks \(key)")
        }
        #expect(finding["case"] as? String == "C1234567")
        let evidence = try #require((finding["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["artifact"] as? String == "upload/logs/app.log")
        #expect(evidence["line"] as? Int == 1)
        let references = try #require(finding["references"] as? [[String: Any]])
        #expect(references.allSatisfy { $0["type"] is String })
    }

    @Test func metadataComesFromTheSidecarsAndCaseOnTheCommandLineWins() throws {
        let upload = try Self.logUpload(
            Self.oom, sidecar: "case=C7654321\nsystem=appnode-07\n",
            rootMetadata: "host=appnode-07.example.com\nproduct=OrderHub\nversion=4.2\ncase=C1111111\n")
        let report = try CLI.sysscan(["scan", upload.path, "--format", "json"]).json()
        #expect(report["case"] as? String == "C7654321")
        let system = try #require(report["system"] as? [String: Any])
        #expect(system["id"] as? String == "appnode-07")
        #expect(system["product"] as? String == "OrderHub")
        #expect(system["host"] as? String == "appnode-07.example.com")
        let overridden = try CLI.sysscan(["scan", upload.path, "--format", "json", "--case", "C2222222"]).json()
        #expect(overridden["case"] as? String == "C2222222")
    }

    @Test func theReportSuggestsACaseSeverityAndThePlansResponseTarget() throws {
        let report = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"]).json()
        #expect(
            report["suggested_case_severity"] as? Int == 0,
            "a critical stability finding on production: business stopped")
        #expect(report["response_target"] as? String == "Gold: response < 1 h (0, 24x5)")
        let priority = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "json", "--plan", "priority",
        ]).json()
        #expect(
            priority["response_target"] as? String
                == "P1-P4: response 2.5 h, resolution 8 h (P1, business hours 08:00-17:00 local)")
        let upload = try Self.logUpload(
            "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Metaspace\n", sidecar: "plan=silver\n")
        let silver = try CLI.sysscan(["scan", upload.path, "--format", "json"]).json()
        #expect(silver["suggested_case_severity"] as? Int == 2)
        #expect(silver["response_target"] as? String == "Silver: no assisted support")
    }

    @Test func casesShowsScansOpenFindingsAndTheTarget() throws {
        let db = try CLI.temporaryFolder().appendingPathComponent("h.sqlite").path
        #expect(
            try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--case", "C7777777", "--db", db]).status == 0)
        let result = try CLI.sysscan(["cases", "C7777777", "--db", db])
        #expect(result.stdout.hasPrefix("Case C7777777: 1 scan\n"))
        #expect(result.stdout.contains("Open findings (latest scan of each system): \(CLI.appserverFindingCount)"))
        #expect(result.stdout.contains("Suggested case severity: 0\nResponse target: Gold: response < 1 h (0, 24x5)"))
        let shown = try CLI.sysscan(["show", "1", "--db", db])
        #expect(shown.stdout.hasPrefix("SysScan report: appserver-node"))
    }

    @Test func theTextReportGroupsByCategoryAndEndsWithASummary() throws {
        let upload = try Self.logUpload(Self.oom)
        let result = try CLI.sysscan(["scan", upload.path])
        #expect(result.stdout.contains("STABILITY\n  HIGH     JVM-OOM-JAVA-HEAP"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("Summary: 1 findings (0 critical, 1 high, 0 medium, 0 low, 0 info) · 1 artifacts read"))
    }

    @Test func outputGoesToAFileWhenAsked() throws {
        let upload = try Self.logUpload(Self.oom)
        let target = upload.deletingLastPathComponent().appendingPathComponent("report.json")
        let result = try CLI.sysscan(["scan", upload.path, "--format", "json", "--output", target.path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("report written to \(target.path)"))
        let data = try Data(contentsOf: target)
        #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["findings"] != nil)
    }

    @Test(arguments: ["--help", "scan --help"])
    func helpMatchesTheGoldenFile(arguments: String) throws {
        let result = try CLI.sysscan(arguments.split(separator: " ").map(String.init))
        #expect(result.status == 0)
        let name = arguments.replacingOccurrences(of: "--", with: "").replacingOccurrences(of: " ", with: "-")
        let golden = CLI.packageRoot.appendingPathComponent("Tests/SysScanTests/Golden/\(name).txt")
        try GoldenFile.expect(result.stdout, matches: golden)
    }
}
