import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan show`: a stored report.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the stored report of a scan.")

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("The scan's id (see sysscan history).", valueName: "scan-id"))
        var id: Int64

        @Option(help: ArgumentHelp("text, json or md.", valueName: "format"))
        var format: String = "text"

        func validate() throws {
            guard ["text", "json", "md"].contains(format) else { throw ValidationError("--format must be text, json or md.") }
        }

        func run() throws {
            let text: String?
            do { text = try store.open().report(id: id, format: format) } catch {
                FileHandleOutput.standardError("sysscan: \(error)\n")
                throw ExitCodes.unusableInput
            }
            guard let text else {
                FileHandleOutput.standardError("sysscan: no stored report for scan \(id)\n")
                throw ExitCodes.unusableInput
            }
            FileHandleOutput.standardOutput(text)
        }
    }
}
