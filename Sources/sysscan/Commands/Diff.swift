import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan diff`: what changed between two scans of a system.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two scans: findings new, fixed, still present (and severity changes).",
            discussion: "With one id, compares it with the previous scan of the same system.")

        @OptionGroup var store: StoreOptions

        @Argument(
            help: ArgumentHelp(
                "Two scans to compare, older first; or one, compared with the previous scan of its system.",
                valueName: "scan-id"))
        var ids: [Int64]

        @Option(help: ArgumentHelp("The output format.", valueName: "format"))
        var format: ListingFormat = .text

        @Flag(help: "Compare scans of two different systems (refused otherwise).")
        var acrossSystems = false

        func validate() throws {
            guard (1...2).contains(ids.count) else { throw ValidationError("Give one or two scan ids.") }
        }

        func run() throws {
            let database = try store.open()
            let newer = ids[ids.count - 1]
            guard let older = ids.count == 2 ? ids[0] : try database.previousScan(before: newer) else {
                throw CommandFailure("scan \(newer) has no earlier scan of the same system")
            }
            for id in [older, newer] where try database.scan(id: id) == nil {
                throw CommandFailure("no scan \(id) in \(store.db)")
            }
            let systems = [try database.scan(id: older)?.system, try database.scan(id: newer)?.system]
            if systems[0] != systems[1], !acrossSystems {
                throw CommandFailure(
                    "scan \(older) is of system \(systems[0] ?? "unknown") and scan \(newer) of system \(systems[1] ?? "unknown"); "
                        + "comparing two systems is refused unless --across-systems is given")
            }
            let diff = try ScanDiff(store: database, older: older, newer: newer)
            FileHandleOutput.standardOutput(format == .json ? diff.json() : diff.text())
        }
    }
}
