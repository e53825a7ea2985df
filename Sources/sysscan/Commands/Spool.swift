import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import SysScanKit

extension SysScan {
    /// `sysscan spool`: scans every upload that lands in a spool folder, exactly once.
    struct Spool: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan every upload that lands in a spool folder, exactly once, and record it.",
            discussion: """
                SPOOL/incoming/ receives uploads (names ending in .part or starting with . wait; NAME.properties \
                beside an upload is its metadata); each is claimed by an atomic rename into SPOOL/processing/, then \
                moved unchanged to SPOOL/done/NAME/ with report.json and report.md, or to SPOOL/failed/NAME/ with \
                error.txt. Nothing is ever deleted. Claims left by a crashed process are put back on start. Without \
                --once the folder is watched (polled) until SIGTERM or SIGINT; scans in flight then finish.
                """)

        @Argument(help: ArgumentHelp("The spool folder (created if missing).", valueName: "spool"))
        var spool: String

        @Flag(help: "Scan what is there, then exit (for cron).")
        var once = false

        @Option(help: ArgumentHelp("Uploads scanned at a time.", valueName: "n"))
        var workers: Int = 1

        @Option(help: ArgumentHelp("The scan history database (default: SPOOL/sysscan.sqlite).", valueName: "file"))
        var db: String?

        @Flag(help: "Scan an upload again even when the same bytes were scanned before.")
        var rescan = false

        @Flag(help: "Print only the summary.")
        var quiet = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            guard workers >= 1 else { throw ValidationError("--workers must be 1 or more.") }
        }

        func run() throws {
            let compiled = try knowledgeBase.compiled()
            let databasePath = db ?? (spool as NSString).appendingPathComponent("sysscan.sqlite")
            do {
                try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            } catch {
                FileHandleOutput.standardError("sysscan: cannot create the spool folder \(spool): \(error.localizedDescription)\n")
                throw ExitCodes.unusableInput
            }
            let store: ScanStore
            do {
                store = try ScanStore(path: databasePath)
            } catch {
                FileHandleOutput.standardError("sysscan: \(error)\n")
                throw ExitCodes.unusableInput
            }
            var options = SysScanKit.Spool.Options()
            options.workers = workers
            options.rescan = rescan
            options.scan.policy = try knowledgeBase.policy()
            let spoolFolder: SysScanKit.Spool
            do {
                spoolFolder = try SysScanKit.Spool(root: spool, store: store, knowledgeBase: compiled, options: options)
            } catch {
                FileHandleOutput.standardError("sysscan: \(error)\n")
                throw ExitCodes.unusableInput
            }
            let quiet = self.quiet
            let report: @Sendable (SysScanKit.Spool.Event) -> Void = { event in
                guard !quiet else { return }
                FileHandleOutput.standardError(Self.describe(event) + "\n")
            }
            let started = Date()
            spoolFolder.recover(report)
            if once {
                spoolFolder.runOnce(report: report)
            } else {
                let stop = StopSignal()
                FileHandleOutput.standardError("sysscan: watching \(spool)/incoming (SIGTERM or Ctrl-C to stop)\n")
                spoolFolder.watch(shouldStop: { stop.requested }, report: report)
            }
            let summary = spoolFolder.summary
            let findings = Severity.allCases.map { "\(summary.findings[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            FileHandleOutput.standardError(
                "sysscan spool: \(summary.done) done, \(summary.duplicates) already scanned, \(summary.failed) failed; findings: \(findings); "
                    + String(format: "%.1f s\n", Date().timeIntervalSince(started)))
        }

        static func describe(_ event: SysScanKit.Spool.Event) -> String {
            switch event {
            case let .done(upload, scanID, findings):
                let total = findings.values.reduce(0, +)
                return "done       \(upload): scan \(scanID), \(total) findings"
            case let .duplicate(upload, scanID): return "duplicate  \(upload): same bytes as scan \(scanID); linked, not scanned again"
            case let .failed(upload, reason): return "failed     \(upload): \(reason)"
            case let .recovered(upload): return "recovered  \(upload): put back in incoming after an interrupted run"
            }
        }
    }
}

/// Becomes true on SIGTERM or SIGINT.
final class StopSignal: @unchecked Sendable {
    // Safety: `sources` is written in `init` only; the flag is atomic.
    private let flag = Atomic<Bool>(false)
    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [self] in self.flag.store(true, ordering: .relaxed) }
            source.resume()
        }
    }

    var requested: Bool { flag.load(ordering: .relaxed) }
}
