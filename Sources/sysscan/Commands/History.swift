import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan history`: scans, newest first.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List recorded scans, newest first, with counts by severity.")

        @OptionGroup var store: StoreOptions

        @Option(name: .customLong("case"), help: ArgumentHelp("Only scans of this case.", valueName: "C1234567"))
        var supportCase: String?

        @Option(help: ArgumentHelp("Only scans of this system.", valueName: "id"))
        var system: String?

        @Option(help: ArgumentHelp("The output format.", valueName: "format"))
        var format: ListingFormat = .text

        func run() throws {
            let database = try store.open()
            let scans = try database.history(supportCase: supportCase, system: system)
            FileHandleOutput.standardOutput(format == .json ? HistoryReport.json(scans) : HistoryReport.text(scans))
        }
    }
}
