import Foundation
import Testing

@testable import SysScanKit

/// The digest of the rule files and kinds shown beside the version, and the lint warning when the rules
/// changed since `knowledge-base.yaml` recorded it.
struct KnowledgeBaseDigestTests {
    static func digest(_ folder: URL) throws -> String {
        try KnowledgeBaseLoader().load(directory: folder.path).digest
    }

    @Test func theDigestFollowsTheRulesAndKindsButNotLineEnds() throws {
        let base = try Self.digest(try Fixtures.knowledgeBase())
        #expect(base.count == KnowledgeBaseDigest.length)
        #expect(try Self.digest(try Fixtures.knowledgeBase()) == base, "the same rules give the same digest")
        let crlf = Fixtures.oomRule.replacingOccurrences(of: "\n", with: "\r\n")
        let folderWithCRLF = try Fixtures.knowledgeBase([
            "AJP-OPEN": Fixtures.ajpRule, "OOM-HEAP": crlf, "JMX-NO-AUTH": Fixtures.jmxRule,
        ])
        #expect(try Self.digest(folderWithCRLF) == base, "a checkout with CRLF line ends gives the same digest")
        let changed = Fixtures.oomRule.replacingOccurrences(of: "min_count: 2", with: "min_count: 3")
        let folderChanged = try Fixtures.knowledgeBase([
            "AJP-OPEN": Fixtures.ajpRule, "OOM-HEAP": changed, "JMX-NO-AUTH": Fixtures.jmxRule,
        ])
        #expect(try Self.digest(folderChanged) != base)
        let kinds = try Fixtures.knowledgeBase()
        try (Fixtures.manifest + "\n  - { name: extra-log, format: log, paths: [\"*.extra\"] }\n").write(
            to: kinds.appendingPathComponent("knowledge-base.yaml"), atomically: true, encoding: .utf8)
        #expect(try Self.digest(kinds) != base, "the kinds decide what rules read")
    }

    @Test func lintWarnsWhenTheRulesChangedSinceTheRecordedDigest() throws {
        let folder = try Fixtures.knowledgeBase()
        let digest = try Self.digest(folder)
        let manifest = folder.appendingPathComponent("knowledge-base.yaml")
        try (Fixtures.manifest + "\nrules_digest: \(digest)\n").write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try KnowledgeBaseLinter().lint(directory: folder.path).isEmpty, "recorded and unchanged")
        try Data(
            Fixtures.oomRule.replacingOccurrences(of: "min_count: 2", with: "min_count: 3").utf8
        ).write(to: folder.appendingPathComponent("rules/OOM-HEAP.yaml"))
        let diagnostics = try KnowledgeBaseLinter().lint(directory: folder.path)
        let warning = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(warning.code == .versionNotRaised && warning.level == .warning)
        #expect(warning.file == manifest.path && warning.line == 12)
        #expect(warning.message.contains("raise 'version' and record 'rules_digest: \(try Self.digest(folder))'"))
    }

    @Test func theProjectKnowledgeBaseRecordsTheDigestOfItsRules() throws {
        let kb = try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues)
        #expect(kb.recordedDigest == kb.digest, "rule files changed: raise the version and record the new digest")
    }
}
