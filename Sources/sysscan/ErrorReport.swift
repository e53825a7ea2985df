import ArgumentParser
import StreamMatch
import SysScanKit

#if canImport(Glibc)
    import Glibc
#endif

/// The one place where an error that ends `sysscan` becomes a message on standard error and an exit code.
enum ErrorReport {
    /// Ends the process for an error of the command line: a usage error exits with 2 and says why; help,
    /// version and completion requests print what was asked and exit with 0.
    static func exit(parsing error: Error) -> Never {
        let code = SysScan.exitCode(for: error)
        if code == .validationFailure {
            FileHandleOutput.standardError(SysScan.fullMessage(for: error) + "\n")
            Glibc.exit(ExitCodes.usage.rawValue)
        }
        if code == .success {
            let message = SysScan.fullMessage(for: error)
            if message == SysScan.configuration.version {
                FileHandleOutput.standardOutput(VersionText.render())
                Glibc.exit(ExitCodes.clean.rawValue)
            }
            if message.hasPrefix("#!/bin/bash") {
                FileHandleOutput.standardOutput(Completions.script(message) + "\n")
                Glibc.exit(ExitCodes.clean.rawValue)
            }
        }
        SysScan.exit(withError: error)
    }

    /// Ends the process for an error a command threw while it ran.
    ///
    /// An `ExitCode` is an outcome the command has already reported (findings at or above `--fail-on`,
    /// nothing checked): it exits silently. A `CommandFailure` or a library error (each names the file and
    /// what is wrong) is printed after `sysscan: ` and exits with its code, 3 for library errors. The
    /// parser's own (`sysscan help`, a usage error) go to `exit(parsing:)`.
    static func exit(running error: Error) -> Never {
        if let code = error as? ExitCode { Glibc.exit(code.rawValue) }
        guard let failure = failure(for: error) else { exit(parsing: error) }
        FileHandleOutput.standardError("sysscan: \(failure.message)\n")
        Glibc.exit(failure.exitCode.rawValue)
    }

    /// The message and exit code for an error thrown by a command; nil for the parser's requests and
    /// usage errors.
    static func failure(for error: Error) -> CommandFailure? {
        switch error {
        case let failure as CommandFailure: return failure
        case let error as KnowledgeBaseError: return CommandFailure(error.description)
        case let error as ScanError: return CommandFailure(error.description)
        case let error as StoreError: return CommandFailure(error.description)
        case let error as SpoolError: return CommandFailure(error.description)
        case let error as SpoolFileError: return CommandFailure(error.description)
        case let error as ReportFile.WriteError: return CommandFailure(error.description)
        case let error as PatternError: return CommandFailure(error.description)
        default:
            let code = SysScan.exitCode(for: error)
            if code == .success || code == .validationFailure || error is ValidationError { return nil }
            return CommandFailure(String(describing: error))
        }
    }
}
