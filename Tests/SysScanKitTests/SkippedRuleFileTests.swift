import Foundation
import Testing

@testable import SysScanKit

/// One bad rule file does not stop every scan: loaded skipping bad rule files, the knowledge base
/// leaves it out and a scan says so; loaded strictly, it is refused as before.
struct SkippedRuleFileTests {
    /// The fixture rules plus a second `OOM-HEAP` in another folder (a duplicate id) and a file that is
    /// no valid YAML.
    static func brokenKnowledgeBase() throws -> URL {
        let folder = try Fixtures.knowledgeBase()
        try Data(Fixtures.oomRule.utf8).write(to: folder.appendingPathComponent("zzz-OOM-HEAP.yaml"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("zzz"), withIntermediateDirectories: true)
        try Data(Fixtures.oomRule.utf8).write(to: folder.appendingPathComponent("zzz/OOM-HEAP.yaml"))
        try Data("id: BROKEN\ntitle: [x\n".utf8).write(to: folder.appendingPathComponent("rules/BROKEN.yaml"))
        return folder
    }

    @Test func aStrictLoadRefusesAKnowledgeBaseWithABadRuleFile() throws {
        let folder = try Self.brokenKnowledgeBase()
        #expect(throws: KnowledgeBaseError.self) { try KnowledgeBaseLoader().load(directory: folder.path) }
    }

    @Test func aLoadSkippingBadRuleFilesKeepsTheGoodRulesAndListsTheBadFiles() throws {
        let folder = try Self.brokenKnowledgeBase()
        let kb = try KnowledgeBaseLoader().load(directory: folder.path, skippingBadRuleFiles: true)
        #expect(kb.rules.map(\.id) == ["AJP-OPEN", "JMX-NO-AUTH", "OOM-HEAP"])
        #expect(
            kb.rules.first { $0.id == "OOM-HEAP" }?.file == folder.appendingPathComponent("rules/OOM-HEAP.yaml").path)
        let skipped = kb.skippedRuleFiles.map { ($0.path as NSString).lastPathComponent }
        #expect(Set(skipped) == ["BROKEN.yaml", "zzz-OOM-HEAP.yaml", "OOM-HEAP.yaml"])
        let duplicate = try #require(kb.skippedRuleFiles.first { $0.path.hasSuffix("zzz/OOM-HEAP.yaml") })
        #expect(duplicate.errors.map(\.code) == [.duplicateId])
        #expect(duplicate.summary.contains("skipped: line 1: KB006 rule id 'OOM-HEAP' is also used by"))
    }

    @Test func aScanWarnsOfEachSkippedRuleFileAndStillFinds() throws {
        let folder = try Self.brokenKnowledgeBase()
        let kb = try KnowledgeBaseLoader().load(directory: folder.path, skippingBadRuleFiles: true)
        let compiled = try RuleCompiler.compile(kb)
        let log = "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\n"
        let report = Scanner(knowledgeBase: compiled).scan(artifacts: [("logs/app.log", Array((log + log).utf8))])
        #expect(report.findings.map(\.rule) == ["OOM-HEAP"])
        let skipped = report.warnings.filter { $0.code == .ruleFileSkipped }
        #expect(skipped.count == 3)
        #expect(skipped.contains { $0.artifact?.hasSuffix("rules/BROKEN.yaml") == true })
    }

    @Test func errorsInTheManifestAreAlwaysFatal() throws {
        let folder = try Fixtures.knowledgeBase()
        try Data("version: [\n".utf8).write(to: folder.appendingPathComponent("knowledge-base.yaml"))
        #expect(throws: KnowledgeBaseError.self) {
            try KnowledgeBaseLoader().load(directory: folder.path, skippingBadRuleFiles: true)
        }
        let outcome = try KnowledgeBaseLoader().inspect(directory: folder.path)
        #expect(!outcome.diagnostics.isEmpty)
        #expect(
            outcome.diagnostics.allSatisfy { $0.file.hasSuffix("knowledge-base.yaml") },
            "rule files are not checked against a broken manifest")
    }
}
