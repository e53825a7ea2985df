import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan rules list`: the knowledge base's rules.
    struct RulesList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the rules of the knowledge base.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Option(help: ArgumentHelp("Only rules of this category.", valueName: "category"))
        var category: SysScanKit.Category?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            let rules = compiled.rules.filter { category == nil || $0.category == category }
            if json {
                FileHandleOutput.standardOutput(RuleCatalog.json(rules, knowledgeBase: compiled.source))
                return
            }
            for rule in rules {
                let line = [
                    rule.id.padding(toLength: 40, withPad: " ", startingAt: 0),
                    rule.category.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
                    rule.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), rule.title,
                ].joined(separator: " ")
                FileHandleOutput.standardOutput(line + "\n")
            }
            FileHandleOutput.standardOutput(
                "\(rules.count) rules, knowledge base \(compiled.source.version) (rules digest \(compiled.source.digest))\n"
            )
        }
    }
}
