import ArgumentParser
import SysScanKit

/// The `--db` option of the commands that read the scan history.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("The scan history database (SQLite); it must exist.", valueName: "file"), completion: .file()
    )
    var db: String

    /// Opens the existing store for reading only (nothing is created or written).
    ///
    /// - Throws: `StoreError` when it is missing or no scan history.
    func open() throws(StoreError) -> ScanStore {
        try ScanStore(path: db, readOnly: true)
    }
}
