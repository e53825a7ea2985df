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
                Each triggering example must fire and cite exactly its ↓ lines; each non-triggering example must not \
                fire; again with CRLF line ends, no final newline, noise lines and one-byte reads. Exit status: 0 all \
                behave, 1 a rule misbehaves, 3 the knowledge base cannot be loaded.
                """)

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(
            help: ArgumentHelp("Rule ids to test (default: all).", valueName: "id"), completion: Completions.ruleIDs)
        var ids: [String] = []

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            let known = Set(compiled.rules.map(\.id))
            for id in ids where !known.contains(id) {
                FileHandleOutput.standardError("sysscan: warning: no rule '\(id)' in the knowledge base\n")
            }
            let selected = compiled.rules.filter { ids.isEmpty || ids.contains($0.id) }
            let started = Date()
            let verifier = ExampleVerifier(knowledgeBase: compiled)
            var failing = 0
            var examples = 0
            for rule in selected {
                examples += rule.triggeringExamples.count + rule.nonTriggeringExamples.count
                let failures = verifier.verify(rule)
                if failures.isEmpty { continue }
                failing += 1
                for failure in failures { FileHandleOutput.standardOutput("FAIL \(failure)\n") }
            }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            let mutations = ExampleVerifier.Mutation.allCases.count
            FileHandleOutput.standardOutput(
                "\(selected.count - failing) passed, \(failing) failed: \(selected.count) rules, \(examples) examples × \(mutations) mutations in \(seconds) s\n"
            )
            if failing > 0 { throw ExitCodes.findings }
        }
    }
}
