import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan show`: a stored report.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the stored report of a scan.")

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("The scan's id (see sysscan history).", valueName: "scan-id"))
        var id: Int64

        @Option(help: ArgumentHelp("The report format.", valueName: "format"))
        var format: Scan.Format = .text

        func run() throws {
            let database = try store.open()
            guard let text = try database.report(id: id, format: format.rawValue) else {
                let known = (try? database.scan(id: id)) ?? nil
                let why =
                    known == nil
                    ? "no scan \(id) in \(store.db)"
                    : known?.status == "failed"
                        ? "scan \(id) failed (\(known?.error ?? "unusable")); it has no report"
                        : "scan \(id) has no stored report in this format (recorded by an older version)"
                throw CommandFailure(why)
            }
            FileHandleOutput.standardOutput(text)
        }
    }
}
