import Dispatch
import Foundation
import Testing

@testable import SysScanKit

/// A rule whose regex backtracks catastrophically costs a bounded time, becomes a `pattern-budget`
/// warning naming the rule, and leaves the other rules' findings as they were.
struct PatternBudgetTests {
    static let catastrophicRule = """
        id: SLOW-REQUEST
        title: Slow request
        category: performance
        severity: low
        applies_to: [app-log]
        when:
          log:
            regex: 'request (a+)+$'
        message: "slow request"
        recommendation: Nothing.
        references:
          - article: KB-NONE
        examples:
          triggering:
            - artifact: logs/app.log
              content: |
                ↓request aaa
          non_triggering:
            - artifact: logs/app.log
              content: |
                fine
        """

    /// 5 MB of 50,000-character lines crafted against the rule, between two lines of another rule.
    @Test func aCatastrophicRuleRegexIsAWarningNamingTheRuleAndTheScanGoesOn() throws {
        let folder = try Fixtures.knowledgeBase([
            "OOM-HEAP": Fixtures.oomRule, "SLOW-REQUEST": Self.catastrophicRule,
        ])
        let knowledgeBase = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        let oom = "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\n"
        let hostile = "2026-11-20 10:00:01,000 INFO request " + String(repeating: "a", count: 50_000) + "!\n"
        let log =
            oom + String(repeating: hostile, count: 100) + "2026-11-20 10:00:02,000 INFO request aaaa\n"
            + oom.replacingOccurrences(of: "10:00:00", with: "10:00:03")
        let started = DispatchTime.now().uptimeNanoseconds
        let report = Scanner(knowledgeBase: knowledgeBase).scan(artifacts: [("logs/app.log", Array(log.utf8))])
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        #expect(seconds < 20, "the scan took \(seconds) s")
        #expect(report.findings.map(\.rule) == ["OOM-HEAP", "SLOW-REQUEST"])
        #expect(report.findings.first?.evidence.map(\.line) == [1, 103])
        #expect(report.findings.last?.evidence.map(\.line) == [102])
        let warning = try #require(report.warnings.first { $0.code == .patternBudget })
        #expect(warning.artifact == "memory/logs/app.log")
        #expect(warning.message.contains("rule SLOW-REQUEST"))
        #expect(warning.message.contains("on line 2 and 99 more lines"))
    }
}
