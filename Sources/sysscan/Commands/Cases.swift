import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan cases`: everything known about a support case.
    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show a case: its scans, the open findings across them, the suggested case severity and response target."
        )

        @OptionGroup var store: StoreOptions

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(help: ArgumentHelp("The case number.", valueName: "C1234567"))
        var number: String

        @Option(
            help: ArgumentHelp(
                "The customer's plan, when the scans do not name it (values: the plans of support-policy.yaml).",
                valueName: "plan"),
            completion: Completions.plans)
        var plan: String?

        func validate() throws {
            guard CaseNumber.isValid(number) else {
                throw ValidationError("'\(number)' is not a case number (C and 7 digits).")
            }
        }

        func run() throws {
            let database = try store.open()
            let view = try CaseView(store: database, number: number, policy: try knowledgeBase.policy(), plan: plan)
            FileHandleOutput.standardOutput(view.text())
        }
    }
}
