import ArgumentParser

/// The documented exit codes of `sysscan`.
enum ExitCodes {
    /// No finding at or above `--fail-on`.
    static let clean = ExitCode(0)
    /// Findings at or above `--fail-on`.
    static let findings = ExitCode(1)
    /// The command line is wrong.
    static let usage = ExitCode(2)
    /// The upload or the knowledge base cannot be used.
    static let unusableInput = ExitCode(3)
    /// `scan`: nothing of the upload could be checked (no file of a kind the knowledge base knows); the
    /// report is written as usual.
    static let nothingChecked = ExitCode(4)
}
