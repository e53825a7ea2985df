import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan rules test`: runs every rule's examples through the real scanner, under mutations.
    struct RulesTest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run the rules' triggering and non-triggering examples through the scanner, under mutations.",
            discussion: """
                Each triggering example must fire and cite exactly its marked lines (↓ or >>); each non-triggering \
                example must not fire; again with CRLF line ends, no final newline, noise lines and one-byte reads. \
                A rule without both kinds of example fails, and so does a rule file that does not load. Each failing example is reported once, with the \
                mutations it failed under and the marked and cited lines of the rule file. Exit status: 0 all \
                behave, 1 a rule misbehaves, 2 an id names no rule, 3 the knowledge base cannot be loaded.
                """)

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(
            help: ArgumentHelp("Rule ids to test (default: all).", valueName: "id"), completion: Completions.ruleIDs)
        var ids: [String] = []

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            let skipped = compiled.source.skippedRuleFiles.filter {
                ids.isEmpty || ids.contains((($0.path as NSString).lastPathComponent as NSString).deletingPathExtension)
            }
            let known = compiled.rules.map(\.id)
            let unknown = ids.filter { id in
                !known.contains(id) && !skipped.contains { ($0.path as NSString).lastPathComponent == "\(id).yaml" }
            }
            for id in unknown {
                FileHandleOutput.standardError(
                    "sysscan: no rule '\(id)' in the knowledge base\(NameSuggestion.clause(for: id, among: known))\n")
            }
            if !unknown.isEmpty { throw ExitCodes.usage }
            let selected = compiled.rules.filter { ids.isEmpty || ids.contains($0.id) }
            let started = Date()
            let verifier = ExampleVerifier(knowledgeBase: compiled)
            var failingRules = 0
            var failingExamples = 0
            var examples = 0
            for file in skipped {
                FileHandleOutput.standardOutput(
                    "FAIL \(file.path): not loaded:"
                        + file.errors.map { "\n  line \($0.line): \($0.code.rawValue) \($0.message)" }.joined() + "\n")
            }
            for rule in selected {
                examples += rule.triggeringExamples.count + rule.nonTriggeringExamples.count
                let failures = verifier.verify(rule)
                if failures.isEmpty { continue }
                failingRules += 1
                failingExamples += failures.count
                for failure in failures { FileHandleOutput.standardOutput("FAIL \(failure)\n") }
            }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            let mutations = ExampleVerifier.Mutation.allCases.count
            failingRules += skipped.count
            let rules = selected.count + skipped.count
            var summary =
                "\(rules - failingRules) passed, \(failingRules) failed: \(rules) rules, \(examples) examples × \(mutations) mutations in \(seconds) s"
            if failingExamples > 0 {
                summary += "; \(failingExamples) failing example\(failingExamples == 1 ? "" : "s")"
            }
            FileHandleOutput.standardOutput(summary + "\n")
            if failingRules > 0 { throw ExitCodes.findings }
        }
    }
}
