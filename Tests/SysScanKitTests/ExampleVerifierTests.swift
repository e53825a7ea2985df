import Foundation
import Testing

@testable import SysScanKit

/// `rules test` failures: one per example, with the mutations it failed under and the marked and cited
/// lines of the rule file; a rule without examples fails.
struct ExampleVerifierTests {
    /// A log rule on `regex` whose one triggering example marks its second line.
    static func rule(regex: String) -> String {
        """
        id: INFO-LINE
        title: Info line
        category: stability
        severity: low
        applies_to: [app-log]
        when:
          log:
            regex: '\(regex)'
        message: "{{count}} lines"
        recommendation: Nothing.
        references:
          - article: KB-TEST-0001
        examples:
          triggering:
            - artifact: logs/app.log
              content: |
                2026-11-20 10:00:00,000 WARN [main] starting
                ↓2026-11-20 10:00:01,000 INFO [main] Server started
          non_triggering:
            - artifact: logs/app.log
              content: |
                2026-11-20 10:00:00,000 WARN [main] Server starting
        """
    }

    static func failures(_ text: String, id: String = "INFO-LINE") throws -> [ExampleVerifier.Failure] {
        let folder = try Fixtures.knowledgeBase([id: text])
        let compiled = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        let rule = try #require(compiled.rules.first)
        return ExampleVerifier(knowledgeBase: compiled).verify(rule)
    }

    @Test func anExampleThatFailsUnderOneMutationIsReportedOnceWithThatMutationAndTheNoiseLine() throws {
        // The noise mutation's log lines hold " INFO ": they are cited too, under that mutation only.
        let failures = try Self.failures(Self.rule(regex: " INFO "))
        #expect(failures.map(\.role) == [.triggering, .nonTriggering])
        #expect(failures.last?.mutations == [.noise])
        let failure = try #require(failures.first)
        #expect(failure.role == .triggering && failure.index == 1 && failure.line == 15)
        #expect(failure.mutations == [.noise])
        let problem = try #require(failure.problems.first)
        #expect(problem.expected.map(\.fileLine) == [18])
        #expect(problem.cited.contains { $0.line == nil && $0.text.contains("Übersicht") })
        #expect(
            problem.cited.contains {
                $0.fileLine == 18 && $0.text == "2026-11-20 10:00:01,000 INFO [main] Server started"
            })
        let text = failure.description
        #expect(text.hasPrefix("\(failure.file):15: INFO-LINE: triggering example 1 (logs/app.log)\n"))
        #expect(text.contains("  fired, citing other lines than the marked ones (under noise)\n"))
        #expect(text.contains("    marked line 18: 2026-11-20 10:00:01,000 INFO [main] Server started\n"))
        #expect(text.contains("    cited  a noise line: 2026-11-20 10:00:00,000 INFO  [main] Übersicht geladen"))
    }

    @Test func aNonTriggeringExampleThatFiresCitesItsLine() throws {
        let failures = try Self.failures(Self.rule(regex: "Server"))
        let failure = try #require(failures.first { $0.role == .nonTriggering })
        #expect(failure.mutations.isEmpty, "under every mutation")
        #expect(failure.problems.first?.cited.map(\.fileLine) == [22])
        #expect(failure.description.contains("    cited  line 22: 2026-11-20 10:00:00,000 WARN [main] Server starting"))
        #expect(!failure.description.contains("marked"))
    }

    @Test func aRuleWithoutExamplesFails() throws {
        let text = Self.rule(regex: " INFO ").replacingOccurrences(
            of: #"examples:[\s\S]*"#, with: "examples:\n  triggering: []\n  non_triggering: []\n",
            options: .regularExpression)
        let failures = try Self.failures(text)
        #expect(failures.map(\.role) == [.triggering, .nonTriggering])
        #expect(failures.allSatisfy { $0.description.contains("missing: a rule needs at least one triggering") })
    }
}
