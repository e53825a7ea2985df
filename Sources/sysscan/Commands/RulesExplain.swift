import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan rules explain`: what one rule checks, where, and its examples.
    struct RulesExplain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain a rule: what it checks, on which artifacts, its references and examples.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(help: ArgumentHelp("The rule's id.", valueName: "id"), completion: Completions.ruleIDs)
        var id: String

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            guard let rule = compiled.rules.first(where: { $0.id == id }) else {
                throw CommandFailure("no rule '\(id)' in the knowledge base")
            }
            FileHandleOutput.standardOutput(RuleCatalog.explain(rule, kinds: compiled.source.kinds))
        }
    }
}
