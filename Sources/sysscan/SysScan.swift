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

            ENVIRONMENT:
              SYSSCAN_KNOWLEDGE_BASE  The knowledge base if --knowledge-base is absent.
              SYSSCAN_TUNING          The tuning file if --tuning is absent.
              NO_COLOR                Set and not empty: the text report is not coloured.
            """,
        version: SysScanVersion.current,
        subcommands: [
            Scan.self, Spool.self, History.self, Show.self, Diff.self, Cases.self, Grep.self, Rules.self, Digest.self,
        ],
        defaultSubcommand: Scan.self
    )
}
