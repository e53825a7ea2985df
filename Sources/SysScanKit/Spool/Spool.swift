import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Scans every upload that lands in a spool folder exactly once, and never loses one.
///
/// Layout (created if missing): `incoming/`, `processing/`, `done/`, `failed/` and the spool's own
/// state in `.sysscan/`.
///
/// - **Landing.** An upload is a file or a folder in `incoming/`; names starting with `.` or ending in
///   `.part`, `.filepart` or `.tmp` wait until renamed. It is claimed only once it is complete: nothing
///   in it changed (modification or status-change time) for the settle time.
/// - **Sidecars.** `NAME.properties` beside `NAME` is its metadata. It goes with its upload only when it
///   is there, settled, when the upload is claimed; a sidecar is never applied to any other upload. A
///   sidecar that lands after an upload of its name was claimed without one (within the orphan time) is
///   late: it is filed under `failed/` with the reason, and so is a sidecar that waited for its upload
///   longer than the orphan time. A folder drop `incoming/NAME/` holds an upload and its metadata together.
/// - **Claims.** A worker claims an upload by renaming it into its own folder
///   `processing/<host>#<pid>#<claim id>/`, after writing a manifest there. The store records the outcome
///   under the claim id exactly once; reports are written into the claim folder; then the whole folder is
///   renamed into `done/NAME/` (or `failed/NAME/` with `error.txt`). A SIGKILL at any instant leaves a
///   state the next start completes: a claim whose owner is dead (or whose lease expired) is taken over in
///   place, its outcome taken from the store when it was recorded, its reports written again.
/// - **Same bytes.** An upload whose SHA-256 was scanned with the same knowledge base is not scanned
///   again: with the same case and system it is recorded as a duplicate; for another case or system it is
///   recorded as a scan of that case and system, with the stored results.
/// - **Faults.** Nothing is ever deleted. A folder that cannot be written, a store that cannot record, a
///   claim that cannot be filed: the spool logs it, leaves the upload where it is (or puts it back in
///   `incoming/`), stops claiming and reports a fault (`faults` in the summary).
public final class Spool: @unchecked Sendable {
    // Safety: mutable state (`counters`, `fault`, `configuration`, `metrics`) is guarded by `lock`;
    // everything else is immutable after `init`.

    /// How the spool runs.
    public struct Options: Sendable {
        /// Uploads scanned at a time.
        public var workers = 1
        /// Whether an upload already scanned (same SHA-256) is scanned again.
        public var rescan = false
        /// After how long a claim of a live process counts as abandoned, in seconds.
        public var leaseSeconds: TimeInterval = 6 * 3600
        /// How long an upload (everything in a folder upload) must stay unchanged before it is claimed.
        public var settleSeconds: TimeInterval = 30
        /// How long a sidecar waits for its upload before it is filed as an orphan; also how long after an
        /// upload was claimed without a sidecar a sidecar of its name counts as late.
        public var orphanAfterSeconds: TimeInterval = 3600
        /// How often `incoming/` is looked at when watching, in seconds.
        public var pollSeconds: TimeInterval = 1
        /// Where to write metrics in the Prometheus text format (atomically), if anywhere.
        public var metricsFile: String?
        /// How each upload is scanned; by default an upload's scan may take 30 minutes (`maxSeconds`), past
        /// which it is stopped and filed in `failed/` while the spool goes on.
        public var scan: ScanOptions = {
            var options = ScanOptions()
            options.maxSeconds = 1800
            return options
        }()

        /// Creates the default options.
        public init() {}
    }

    /// What happened to one upload.
    public enum Event: Sendable {
        /// Scanned (or linked to the stored results of the same bytes, `linkedScan`) and recorded as scan `scanID`.
        case done(upload: String, supportCase: String?, scanID: Int64, linkedScan: Int64?, findings: [Severity: Int])
        /// The same bytes, case and system were scanned before as `of`; recorded as a duplicate, `scanID`.
        case duplicate(upload: String, supportCase: String?, scanID: Int64, of: Int64)
        /// Unusable, or nothing in it could be checked: filed in `failed/` with the reason and recorded.
        case failed(upload: String, supportCase: String?, reason: String)
        /// A sidecar that belongs to no upload (orphan or late), filed in `failed/` with the reason.
        case sidecarFiled(name: String, reason: String)
        /// A claim of a dead or stalled worker was taken over.
        case recovered(upload: String)
        /// The spool could not do its work as it should; the upload named stays where the message says.
        case fault(upload: String?, message: String)
    }

    /// Totals of a run.
    public struct Summary: Sendable {
        /// Uploads scanned and recorded.
        public var done = 0
        /// Uploads recognised as already scanned.
        public var duplicates = 0
        /// Unusable uploads.
        public var failed = 0
        /// Faults of the spool itself (see `Event.fault`).
        public var faults = 0
        /// Findings over the scanned uploads, by severity.
        public var findings: [Severity: Int] = [:]
        /// Bytes of the uploads handled.
        public var bytes: Int64 = 0
        /// Seconds spent handling uploads.
        public var seconds: Double = 0
    }

    /// The spool's root folder.
    public let root: String
    let incoming: String
    let processing: String
    let done: String
    let failed: String
    let claimedMarkers: String
    let store: ScanStore
    let options: Options
    let logger: Logger
    let lock = NSLock()
    var counters = Summary()
    var faultMessage: String?
    var configuration: (knowledgeBase: CompiledKnowledgeBase, scan: ScanOptions)
    var waiting = 0
    var lastSuccess: TimeInterval?

    /// Opens the spool at `root`, creating its folders.
    ///
    /// - Parameters:
    ///   - root: The spool folder.
    ///   - store: Where scans are recorded.
    ///   - knowledgeBase: The compiled knowledge base.
    ///   - options: How the spool runs.
    ///   - logger: Where each upload's outcome is logged.
    /// - Throws: `SpoolError` when a folder cannot be created or written.
    public init(
        root: String, store: ScanStore, knowledgeBase: CompiledKnowledgeBase, options: Options,
        logger: Logger = Logger(label: "sysscan.spool")
    ) throws(SpoolError) {
        self.root = root
        incoming = (root as NSString).appendingPathComponent("incoming")
        processing = (root as NSString).appendingPathComponent("processing")
        done = (root as NSString).appendingPathComponent("done")
        failed = (root as NSString).appendingPathComponent("failed")
        let state = (root as NSString).appendingPathComponent(".sysscan")
        claimedMarkers = (state as NSString).appendingPathComponent("claimed")
        self.store = store
        self.options = options
        self.logger = logger
        configuration = (knowledgeBase, options.scan)
        for folder in [incoming, processing, done, failed, state, claimedMarkers] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .unusable(path: folder, reason: "cannot be created (\(Self.reason(error)))")
            }
        }
        // incoming/ is checked on each look (a fault then), so that claims already taken can still be completed.
        for folder in [processing, done, failed, claimedMarkers] where access(folder, W_OK | X_OK) != 0 {
            throw .unusable(path: folder, reason: "not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// The totals so far.
    public var summary: Summary { lock.withLock { counters } }

    /// The fault that stopped the spool, if any.
    public var fault: String? { lock.withLock { faultMessage } }

    /// Replaces the knowledge base and the scan options (policy, tuning) for uploads claimed from now on;
    /// scans in flight finish with the ones they started with.
    public func reload(knowledgeBase: CompiledKnowledgeBase, scan: ScanOptions) {
        lock.withLock { configuration = (knowledgeBase, scan) }
    }

    /// Completes claims left by dead workers, files lone sidecars, then scans every settled upload in
    /// `incoming/` with the configured number of workers, and returns when none is left (or `shouldStop`
    /// says so, or a fault stops the spool; scans in flight finish).
    ///
    /// - Parameters:
    ///   - shouldStop: Asked before each new claim.
    ///   - report: Learns of each outcome (from any worker thread), after it is logged.
    /// - Returns: The totals of this run.
    @discardableResult
    public func runOnce(shouldStop: @Sendable () -> Bool = { false }, report: @Sendable (Event) -> Void = { _ in })
        -> Summary
    {
        let before = summary
        recover(shouldStop: shouldStop, report: report)
        if fault == nil, !shouldStop() {
            fileLoneSidecars(report: report)
            let queue = ReadyQueue(readyUploads(report: report))
            DispatchQueue.concurrentPerform(iterations: max(1, options.workers)) { _ in
                while !shouldStop(), fault == nil, let upload = queue.next() {
                    guard let claim = claim(upload, report: report) else { continue }
                    handle(claim, report: report)
                }
            }
        }
        writeMetrics()
        let after = summary
        var delta = Summary()
        delta.done = after.done - before.done
        delta.duplicates = after.duplicates - before.duplicates
        delta.failed = after.failed - before.failed
        delta.faults = after.faults - before.faults
        delta.bytes = after.bytes - before.bytes
        delta.seconds = after.seconds - before.seconds
        for severity in Severity.allCases {
            delta.findings[severity] = (after.findings[severity] ?? 0) - (before.findings[severity] ?? 0)
        }
        return delta
    }

    /// Scans uploads as they land (looking at `incoming/` every `pollSeconds`) until `shouldStop` says so
    /// or a fault stops the spool; scans in flight finish first.
    public func watch(
        shouldStop: @escaping @Sendable () -> Bool, report: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        while !shouldStop(), fault == nil {
            runOnce(shouldStop: shouldStop, report: report)
            var waited: TimeInterval = 0
            while waited < options.pollSeconds, !shouldStop() {
                usleep(50_000)
                waited += 0.05
            }
        }
    }

    /// Handles one claimed upload: processes it, counts and logs the outcome.
    func handle(_ claim: SpoolClaim, report: (Event) -> Void) {
        let started = Date()
        let bytes = SpoolFiles.size(claim.uploadPath)
        let event = process(claim)
        lock.withLock {
            counters.bytes += bytes
            counters.seconds += Date().timeIntervalSince(started)
        }
        note(event, report: report)
        writeMetrics()
    }

    /// Counts and logs an event, and passes it on.
    func note(_ event: Event, report: (Event) -> Void) {
        lock.withLock {
            switch event {
            case let .done(_, _, _, _, findings):
                counters.done += 1
                for (severity, number) in findings { counters.findings[severity, default: 0] += number }
                lastSuccess = Date().timeIntervalSince1970
            case .duplicate:
                counters.duplicates += 1
                lastSuccess = Date().timeIntervalSince1970
            case .failed: counters.failed += 1
            case let .fault(_, message):
                counters.faults += 1
                if faultMessage == nil { faultMessage = message }
            case .recovered, .sidecarFiled: break
            }
        }
        log(event)
        report(event)
    }

    private func log(_ event: Event) {
        switch event {
        case let .done(upload, supportCase, scanID, linked, findings):
            let total = findings.values.reduce(0, +)
            let how =
                linked.map { "the results of scan \($0) (same bytes) recorded for this upload's case and system" }
                ?? "scanned"
            logger.info(
                "done: \(how) as scan \(scanID), \(total) finding\(total == 1 ? "" : "s")",
                metadata: [
                    "upload": "\(upload)", "case": "\(supportCase ?? "-")", "outcome": "done", "scan": "\(scanID)",
                ])
        case let .duplicate(upload, supportCase, scanID, of):
            logger.info(
                "duplicate: the same bytes, case and system as scan \(of); recorded as scan \(scanID), not scanned again",
                metadata: [
                    "upload": "\(upload)", "case": "\(supportCase ?? "-")", "outcome": "duplicate", "scan": "\(scanID)",
                ])
        case let .failed(upload, supportCase, reason):
            logger.warning(
                "failed: \(reason)",
                metadata: ["upload": "\(upload)", "case": "\(supportCase ?? "-")", "outcome": "failed"])
        case let .sidecarFiled(name, reason):
            logger.warning(
                "sidecar filed in failed/: \(reason)", metadata: ["upload": "\(name)", "outcome": "sidecar-filed"])
        case let .recovered(upload):
            logger.notice(
                "taking over the claim of a dead or stalled worker",
                metadata: ["upload": "\(upload)", "outcome": "recovered"])
        case let .fault(upload, message):
            logger.error("\(message)", metadata: ["upload": "\(upload ?? "-")", "outcome": "fault"])
        }
    }

    /// Reports a fault (the spool stops claiming) and returns its event.
    func raiseFault(upload: String?, _ message: String, report: (Event) -> Void) {
        note(.fault(upload: upload, message: message), report: report)
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? SpoolFileError { return error.description }
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return "\(error)"
    }
}

/// The uploads one look at `incoming/` found, handed to the workers one at a time.
private final class ReadyQueue: @unchecked Sendable {
    // Safety: `index` is guarded by `lock`; `uploads` is immutable.
    private let uploads: [Spool.ReadyUpload]
    private var index = 0
    private let lock = NSLock()

    init(_ uploads: [Spool.ReadyUpload]) { self.uploads = uploads }

    func next() -> Spool.ReadyUpload? {
        lock.withLock {
            guard index < uploads.count else { return nil }
            defer { index += 1 }
            return uploads[index]
        }
    }
}

/// Why the spool cannot run.
public enum SpoolError: Error, CustomStringConvertible {
    /// A folder cannot be created, read or written.
    case unusable(path: String, reason: String)

    /// A message naming the folder and what is wrong.
    public var description: String {
        switch self {
        case let .unusable(path, reason): "spool folder \(path): \(reason)"
        }
    }
}
