import ArgumentParser
import SysScanKit

/// The `sysscan` command: scans uploaded system archives against a knowledge base of known issues.
struct SysScan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sysscan",
        abstract: "Scan an uploaded system archive against a knowledge base of known issues.",
        discussion: """
            Exit codes of scan: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage \
            error; 3 unusable upload or knowledge base; 4 nothing in the upload could be checked. The \
            spool's are in 'sysscan spool run --help'.
            """,
        version: SysScanVersion.current,
        subcommands: [
            Scan.self, Spool.self, History.self, Show.self, Diff.self, Cases.self, Grep.self, Rules.self, Digest.self,
        ],
        defaultSubcommand: Scan.self
    )
}
