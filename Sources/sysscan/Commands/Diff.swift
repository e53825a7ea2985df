import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan diff`: what changed between two scans of a system.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two scans: findings new, fixed, still present (and severity changes).",
            discussion: "With one id, compares it with the previous scan of the same system.")

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("[SCAN_A] SCAN_B", valueName: "scan-id"))
        var ids: [Int64]

        @Option(help: ArgumentHelp("text or json.", valueName: "format"))
        var format: String = "text"

        @Flag(help: "Compare scans of two different systems (refused otherwise).")
        var acrossSystems = false

        func validate() throws {
            guard (1...2).contains(ids.count) else { throw ValidationError("Give one or two scan ids.") }
        }

        func run() throws {
            let database = try store.open()
            let diff: ScanDiff
            do {
                let newer = ids[ids.count - 1]
                guard let older = ids.count == 2 ? ids[0] : try database.previousScan(before: newer) else {
                    FileHandleOutput.standardError("sysscan: scan \(newer) has no earlier scan of the same system\n")
                    throw ExitCodes.unusableInput
                }
                for id in [older, newer] where try database.scan(id: id) == nil {
                    FileHandleOutput.standardError("sysscan: no scan \(id) in \(store.db)\n")
                    throw ExitCodes.unusableInput
                }
                let systems = [try database.scan(id: older)?.system, try database.scan(id: newer)?.system]
                if systems[0] != systems[1], !acrossSystems {
                    FileHandleOutput.standardError(
                        "sysscan: scan \(older) is of system \(systems[0] ?? "unknown") and scan \(newer) of system \(systems[1] ?? "unknown"); "
                            + "comparing two systems is refused unless --across-systems is given\n")
                    throw ExitCodes.unusableInput
                }
                diff = try ScanDiff(store: database, older: older, newer: newer)
            } catch let error as StoreError {
                FileHandleOutput.standardError("sysscan: \(error)\n")
                throw ExitCodes.unusableInput
            }
            FileHandleOutput.standardOutput(format == "json" ? diff.json() : diff.text())
        }
    }
}
