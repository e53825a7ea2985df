import ArgumentParser
import SysScanKit

/// The `--db` option of the commands that read the scan history.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The scan history database (SQLite); it must exist.", valueName: "file"))
    var db: String

    /// Opens the existing store for reading only (nothing is created or written), or prints why it
    /// cannot and exits with code 3.
    func open() throws -> ScanStore {
        do {
            return try ScanStore(path: db, readOnly: true)
        } catch {
            FileHandleOutput.standardError("sysscan: \(error)\n")
            throw ExitCodes.unusableInput
        }
    }
}
