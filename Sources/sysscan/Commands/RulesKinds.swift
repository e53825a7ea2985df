import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan rules kinds`: the artifact kinds rules can read.
    struct RulesKinds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kinds",
            abstract: "List the artifact kinds a rule's applies_to can name, with their format and path globs.",
            discussion: """
                Kinds are tried in the order listed and the first whose globs match a file's path wins; they are \
                defined in knowledge-base.yaml. The kind upload is built in: the upload's list of files.
                """)

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            let kinds = compiled.source.kinds
            if json {
                FileHandleOutput.standardOutput(RuleCatalog.kindsJSON(kinds, rules: compiled.rules))
                return
            }
            FileHandleOutput.standardOutput(
                RuleCatalog.kindsTable(kinds, rules: compiled.rules)
                    + "\(kinds.count) kinds and upload, knowledge base \(compiled.source.version)\n")
        }
    }
}
