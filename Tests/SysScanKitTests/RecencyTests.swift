import Foundation
import Testing

@testable import SysScanKit

/// Each log finding knows how long before the upload's newest log line it last happened: an OOM kill
/// five days before the upload is a past event, and a rule can ask for recent events only.
@Suite struct RecencyTests {
    static func log(oomDay: Int) -> String {
        """
        2026-11-\(oomDay) 10:00:00,000 ERROR [exec-1] java.lang.OutOfMemoryError: Java heap space
        2026-11-\(oomDay) 10:05:00,000 ERROR [exec-2] java.lang.OutOfMemoryError: Java heap space
        2026-11-20 09:00:00,000 INFO  [main] still serving
        2026-11-20 11:30:00,000 INFO  [main] nightly job done

        """
    }

    static func scan(_ rules: [String: String], _ text: String) throws -> ScanReport {
        let folder = try Fixtures.knowledgeBase(rules)
        let knowledgeBase = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        return Scanner(knowledgeBase: knowledgeBase).scan(artifacts: [("logs/app.log", Array(text.utf8))])
    }

    @Test func aFindingFromDaysBeforeTheUploadIsAPastEvent() throws {
        let old = try #require(try Self.scan(["OOM-HEAP": Fixtures.oomRule], Self.log(oomDay: 15)).findings.first)
        #expect(old.pastEvent == true)
        let expectedAge: Double = 5 * 86_400 + 3600 + 25 * 60
        #expect(old.lastSeenAge == expectedAge)
        #expect(old.pastEventNote == "past event: last seen 5 d 1 h before the upload's newest log line")
        let text = TextReport(colour: false).render(try Self.scan(["OOM-HEAP": Fixtures.oomRule], Self.log(oomDay: 15)))
        #expect(text.contains("past event: last seen 5 d 1 h"))

        let current = try #require(try Self.scan(["OOM-HEAP": Fixtures.oomRule], Self.log(oomDay: 20)).findings.first)
        #expect(current.pastEvent == false)
        #expect(current.pastEventNote == nil)
    }

    @Test func aRuleCanAskForRecentEventsOnly() throws {
        let recentOnly = Fixtures.oomRule.replacingOccurrences(
            of: "    min_count: 2", with: "    min_count: 2\n    recent: 24h")
        #expect(try Self.scan(["OOM-HEAP": recentOnly], Self.log(oomDay: 15)).findings.isEmpty)
        #expect(try Self.scan(["OOM-HEAP": recentOnly], Self.log(oomDay: 20)).findings.count == 1)
    }
}
