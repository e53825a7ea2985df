import ArgumentParser

/// Why a command cannot go on, for the user: the message (without the `sysscan:` prefix) and the documented
/// exit code.
///
/// Commands throw it, or let a library error through, and never print an error and exit themselves:
/// `ErrorReport` turns both into the message on standard error and the exit code.
struct CommandFailure: Error, CustomStringConvertible {
    /// What failed and where, lower-case, naming the file or the scan.
    var message: String
    /// The exit code (see `ExitCodes`).
    var exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode = ExitCodes.unusableInput) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}
