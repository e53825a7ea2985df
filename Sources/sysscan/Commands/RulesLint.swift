import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan rules lint`: every problem of every rule file, with stable codes.
    struct RulesLint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check every rule file: schema, keys, ids, regexes, XPath, kinds, examples, references.",
            discussion: """
                Prints path:line:col: error[KBnnn]: message (--format text), one JSON object (json), a SARIF 2.1.0 \
                log for code-scanning services (sarif) or GitHub Actions annotations (github). Exit status: 0 no \
                error, 1 errors (or warnings, with --strict), 3 no knowledge base.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, sarif, github
        }

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        @Option(help: ArgumentHelp("The output format: text, json, sarif or github.", valueName: "format"))
        var format: Format = .text

        func run() throws {
            let directory = try knowledgeBase.directory()
            let diagnostics = try KnowledgeBaseLinter().lint(directory: directory)
            let rules = KnowledgeBaseLoader().ruleFiles(in: directory).count
            let reportFormat = LintReport.Format(rawValue: format.rawValue) ?? .text
            FileHandleOutput.standardOutput(LintReport.render(diagnostics, format: reportFormat, ruleFiles: rules))
            let errors = diagnostics.filter { $0.level == .error }.count
            let warnings = diagnostics.count - errors
            FileHandleOutput.standardError("\(rules) rule files: \(errors) errors, \(warnings) warnings\n")
            if errors > 0 || (strict && warnings > 0) { throw ExitCodes.findings }
        }
    }
}
