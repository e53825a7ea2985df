import ArgumentParser

extension SysScan {
    /// `sysscan rules`: tools for knowledge-base maintainers.
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check, test, list, explain and start knowledge-base rules.",
            subcommands: [
                RulesLint.self, RulesTest.self, RulesList.self, RulesExplain.self, RulesNew.self, RulesKinds.self,
            ])
    }
}
