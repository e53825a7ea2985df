import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan rules lint`: every problem of every rule file, with stable codes.
    struct RulesLint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check every rule file: schema, keys, ids, regexes, XPath, kinds, examples, references.",
            discussion:
                "Prints path:line:col: error[KBnnn]: message. Exit status: 0 no error, 1 errors, 3 no knowledge base.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        func run() throws {
            let directory = try knowledgeBase.directory()
            let diagnostics = try KnowledgeBaseLinter().lint(directory: directory)
            for diagnostic in diagnostics { FileHandleOutput.standardOutput(diagnostic.description + "\n") }
            let errors = diagnostics.filter { $0.level == .error || strict }.count
            let warnings = diagnostics.count - diagnostics.filter { $0.level == .error }.count
            let rules = KnowledgeBaseLoader().ruleFiles(in: directory).count
            FileHandleOutput.standardError(
                "\(rules) rule files: \(diagnostics.count - warnings) errors, \(warnings) warnings\n")
            if errors > 0 { throw ExitCodes.findings }
        }
    }
}
