import ArgumentParser
import Dispatch
import Foundation
import Logging
import Synchronization
import SysScanKit

extension SysScan {
    /// `sysscan spool SPOOL`: scans every upload that lands in a spool folder, exactly once.
    struct SpoolRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Scan every upload that lands in SPOOL/incoming/, exactly once, and record it.",
            discussion: """
                An upload (a file or a folder) is claimed once nothing in it changed for --settle seconds; \
                NAME.properties beside it is its metadata when it is there and settled at that moment, and is \
                never applied to another upload. Each upload is moved unchanged to SPOOL/done/NAME/ with \
                report.json and report.md, or to SPOOL/failed/NAME/ with error.txt (an unusable upload, or one \
                in which nothing could be checked). Nothing is ever deleted. Claims of a killed process are \
                completed on start. Without --once the folder is watched until SIGTERM or SIGINT (scans in \
                flight finish); SIGHUP reloads the knowledge base, the support policy and the tuning.

                Exit codes: 0 every upload done; 1 an upload failed (it is in SPOOL/failed/); 3 the spool \
                could not work (a folder or the history not writable, an upload left in place: see the log).
                """)

        @Argument(
            help: ArgumentHelp("The spool folder (created if missing).", valueName: "spool"), completion: .directory)
        var spool: String

        @Flag(help: "Scan what is there and settled, then exit (for cron).")
        var once = false

        @Option(help: ArgumentHelp("Uploads scanned at a time.", valueName: "n"))
        var workers: Int = 1

        @Option(
            help: ArgumentHelp("The scan history database (default: SPOOL/sysscan.sqlite).", valueName: "file"),
            completion: .file())
        var db: String?

        @Flag(help: "Scan an upload again even when the same bytes were scanned before.")
        var rescan = false

        @Option(help: ArgumentHelp("Seconds an upload must stay unchanged before it is claimed.", valueName: "seconds"))
        var settle: Double = 30

        @Option(
            help: ArgumentHelp(
                "Seconds a sidecar waits for its upload before it is filed in failed/ (and within which a sidecar that lands after its upload was claimed is late).",
                valueName: "seconds"))
        var orphanAfter: Double = 3600

        @Option(
            help: ArgumentHelp(
                "Seconds after which a claim of a live process on another host counts as abandoned.",
                valueName: "seconds"))
        var lease: Double = 6 * 3600

        @Option(help: ArgumentHelp("Seconds between looks at SPOOL/incoming/ when watching.", valueName: "seconds"))
        var poll: Double = 1

        @Option(
            help: ArgumentHelp(
                "Write metrics in the Prometheus text format to this file (atomically).", valueName: "file"),
            completion: .file())
        var metricsFile: String?

        @Option(
            help: ArgumentHelp(
                "Local tuning to apply: suppress or re-rate rules (default: $SYSSCAN_TUNING).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
        var tuning: String?

        @Flag(help: "Log only problems, and the summary.")
        var quiet = false

        @Flag(help: "Refuse to start (exit 3) when a rule file has errors, instead of leaving it out with a warning.")
        var strict = false

        @Option(
            help: ArgumentHelp(
                "Seconds an upload's scan may take; past them it is stopped and filed in failed/.",
                valueName: "seconds"))
        var maxScanSeconds: Double = 1800

        @OptionGroup(title: "Budgets") var budgets: BudgetOptions

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            guard workers >= 1 else { throw ValidationError("--workers must be 1 or more.") }
            guard maxScanSeconds > 0 else { throw ValidationError("--max-scan-seconds must be more than 0.") }
            guard settle >= 0, orphanAfter >= 0, lease > 0, poll > 0 else {
                throw ValidationError("--settle and --orphan-after must be 0 or more; --lease and --poll more than 0.")
            }
        }

        func run() throws {
            let quiet = self.quiet
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = quiet ? .warning : .info
                return handler
            }
            let logger = Logger(label: "sysscan.spool")
            var options = SysScanKit.Spool.Options()
            options.workers = workers
            options.rescan = rescan
            options.settleSeconds = settle
            options.orphanAfterSeconds = orphanAfter
            options.leaseSeconds = lease
            options.pollSeconds = poll
            options.metricsFile = metricsFile
            options.scan.budget = budgets.budget
            options.scan.maxSeconds = maxScanSeconds
            let tuningPath = tuning ?? ProcessInfo.processInfo.environment["SYSSCAN_TUNING"]
            options.scan.policy = try knowledgeBase.policy()
            if let tuningPath { options.scan.tuning = try Tuning.load(path: tuningPath) }
            let spoolFolder = try Self.open(
                spool: spool, db: db, knowledgeBase: knowledgeBase, options: options, strict: strict, logger: logger)
            let directory = try knowledgeBase.directory()
            let reloader = Reloader(
                spool: spoolFolder, directory: directory, tuning: tuningPath, base: options.scan, logger: logger)
            let started = Date()
            if once {
                spoolFolder.runOnce()
            } else {
                let stop = StopSignal()
                logger.notice(
                    "watching \(spool)/incoming (SIGTERM or Ctrl-C to stop, SIGHUP to reload the knowledge base)")
                spoolFolder.watch(shouldStop: { stop.requested })
            }
            withExtendedLifetime(reloader) {}
            let summary = spoolFolder.summary
            let findings = Severity.allCases.map { "\(summary.findings[$0] ?? 0) \($0.rawValue)" }.joined(
                separator: ", ")
            var line =
                "sysscan spool: \(summary.done) done, \(summary.duplicates) already scanned, \(summary.failed) failed; findings: \(findings); "
                + String(format: "%.1f s", Date().timeIntervalSince(started))
            if let fault = spoolFolder.fault { line += "\nsysscan spool: stopped: \(fault)" }
            FileHandleOutput.standardError(line + "\n")
            if summary.faults > 0 { throw ExitCodes.unusableInput }
            if summary.failed > 0 { throw ExitCodes.findings }
        }

        /// Opens the store and the spool folder (made when missing).
        ///
        /// - Throws: `CommandFailure` or the library's error, naming the folder or the file and what is wrong.
        static func open(
            spool: String, db: String?, knowledgeBase: KnowledgeBaseOptions, options: SysScanKit.Spool.Options,
            strict: Bool = false, logger: Logger = Logger(label: "sysscan.spool")
        ) throws -> SysScanKit.Spool {
            let compiled = try knowledgeBase.compiled(strict: strict)
            do {
                try FileHandleOutput.createFolder(spool)
            } catch {
                throw CommandFailure("cannot create the spool folder: \(error)")
            }
            let databasePath = db ?? (spool as NSString).appendingPathComponent("sysscan.sqlite")
            let store = try ScanStore(path: databasePath)
            return try SysScanKit.Spool(
                root: spool, store: store, knowledgeBase: compiled, options: options, logger: logger)
        }
    }
}

/// Reloads the knowledge base, the support policy and the tuning on SIGHUP; a broken one (a rule file
/// with errors included: it would lose a rule the one in use has) is refused and the one in use kept.
final class Reloader: @unchecked Sendable {
    // Safety: everything is immutable after `init`; the signal source runs its handler on one queue.
    private let source: any DispatchSourceSignal

    init(spool: SysScanKit.Spool, directory: String, tuning: String?, base: ScanOptions, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "sysscan.reload"))
        source.setEventHandler {
            do {
                let compiled = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: directory))
                var options = base
                let policyPath = (directory as NSString).appendingPathComponent(SupportPolicy.fileName)
                options.policy =
                    FileManager.default.fileExists(atPath: policyPath) ? try SupportPolicy.load(path: policyPath) : nil
                if let tuning { options.tuning = try Tuning.load(path: tuning) }
                spool.reload(knowledgeBase: compiled, scan: options)
                logger.notice(
                    "reloaded the knowledge base \(directory): version \(compiled.source.version), \(compiled.rules.count) rules; uploads claimed from now on use it"
                )
            } catch {
                logger.error("the knowledge base was not reloaded, the one in use stays: \(error)")
            }
        }
        source.resume()
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
