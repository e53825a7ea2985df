import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan history`: scans, newest first.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded scans, newest first, with counts by severity.")

        @OptionGroup var store: StoreOptions

        @Option(name: .customLong("case"), help: ArgumentHelp("Only scans of this case.", valueName: "C1234567"))
        var supportCase: String?

        @Option(help: ArgumentHelp("Only scans of this system.", valueName: "id"))
        var system: String?

        @Option(help: ArgumentHelp("text or json.", valueName: "format"))
        var format: String = "text"

        func run() throws {
            let scans: [ScanStore.ScanSummary]
            do { scans = try store.open().history(supportCase: supportCase, system: system) } catch {
                FileHandleOutput.standardError("sysscan: \(error)\n")
                throw ExitCodes.unusableInput
            }
            if format == "json" {
                FileHandleOutput.standardOutput(HistoryReport.json(scans))
                return
            }
            for scan in scans {
                let counts = Severity.allCases.map { "\(scan.counts[$0] ?? 0)\($0.rawValue.prefix(1).uppercased())" }.joined(separator: " ")
                FileHandleOutput.standardOutput(
                    "\(scan.id)\t\(scan.finishedAt)\t\(scan.status)\t\(scan.system ?? "-")\t\(scan.supportCase ?? "-")\t\(counts)\t\(scan.upload)\n")
            }
        }
    }
}
