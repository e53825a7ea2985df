import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan rules explain`: what one rule checks, where, and its examples.
    struct RulesExplain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain a rule: what it checks, on which artifacts, its references and examples.",
            discussion: "Exit status: 0 explained, 2 the id names no rule, 3 the knowledge base cannot be loaded.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(help: ArgumentHelp("The rule's id.", valueName: "id"), completion: Completions.ruleIDs)
        var id: String

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            guard let rule = compiled.rules.first(where: { $0.id == id }) else {
                let suggestion = NameSuggestion.clause(for: id, among: compiled.rules.map(\.id))
                throw CommandFailure("no rule '\(id)' in the knowledge base\(suggestion)", exitCode: ExitCodes.usage)
            }
            FileHandleOutput.standardOutput(RuleCatalog.explain(rule, kinds: compiled.source.kinds))
        }
    }
}
