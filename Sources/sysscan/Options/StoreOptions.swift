import ArgumentParser
import SysScanKit

/// The `--db` option of the commands that read the scan history.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The scan history database (SQLite).", valueName: "file"))
    var db: String

    /// Opens the store, or prints why it cannot and exits with code 3.
    func open() throws -> ScanStore {
        do {
            return try ScanStore(path: db)
        } catch {
            FileHandleOutput.standardError("sysscan: \(error)\n")
            throw ExitCodes.unusableInput
        }
    }
}
