import Foundation
import SysScanKit

#if canImport(Glibc)
    import Glibc
#endif

/// Writing to standard output, standard error and files: the only place the tool prints.
enum FileHandleOutput {
    /// Writes `text` to standard output.
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` to standard error.
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether standard output is a terminal that takes colour: not when `NO_COLOR` is set and not empty
    /// (https://no-color.org), nor when `TERM` is `dumb`.
    static var standardOutputIsColourTerminal: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// Whether standard error is a terminal (for progress displays).
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Writes `text` to `path` (see `ReportFile.write`): atomically over a new or regular file, in place over
    /// a link, a FIFO or a device.
    static func write(_ text: String, to path: String) throws(ReportFile.WriteError) {
        try ReportFile.write(text, to: path)
    }

    /// Makes the folder `path` and its missing parents.
    static func createFolder(_ path: String) throws(ReportFile.WriteError) {
        try ReportFile.createFolder(path)
    }
}
