import ArgumentParser
import Foundation
import Logging
import SysScanKit

extension SysScan {
    /// `sysscan spool retry`: sends failed uploads back to `incoming/`.
    struct SpoolRetry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Send uploads filed in SPOOL/failed/ back to SPOOL/incoming/ to be scanned again.",
            discussion: """
                Each NAME is a folder of SPOOL/failed/. Its upload (with its sidecar, which goes first) moves \
                back to SPOOL/incoming/; the reason and the manifest the spool wrote are removed, and the \
                recorded failure stays in the history. A running spool picks the upload up once it settles.
                """)

        @Argument(help: ArgumentHelp("The spool folder.", valueName: "spool"), completion: .directory)
        var spool: String

        @Argument(
            help: ArgumentHelp("Folders of SPOOL/failed/ to send back.", valueName: "name"),
            completion: Completions.failedUploads)
        var names: [String]

        @Option(
            help: ArgumentHelp("The scan history database (default: SPOOL/sysscan.sqlite).", valueName: "file"),
            completion: .file())
        var db: String?

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            guard !names.isEmpty else { throw ValidationError("Name at least one folder of SPOOL/failed/.") }
        }

        func run() throws {
            let spoolFolder = try SpoolRun.open(spool: spool, db: db, knowledgeBase: knowledgeBase, options: .init())
            var failures = 0
            for (name, error) in spoolFolder.retry(names) {
                if let error {
                    failures += 1
                    FileHandleOutput.standardError("sysscan: cannot send \(name) back: \(error)\n")
                } else {
                    FileHandleOutput.standardError("sysscan: \(name) sent back to \(spool)/incoming\n")
                }
            }
            if failures > 0 { throw CommandFailure("\(failures) of \(names.count) uploads not sent back") }
        }
    }
}
