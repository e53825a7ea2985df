import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Scans every upload that lands in a spool folder exactly once, and never loses one.
///
/// Layout (created if missing): `incoming/` (uploads land here; names ending in `.part` or starting with
/// `.` are ignored until renamed; `NAME.properties` beside an upload is its sidecar), `processing/`,
/// `done/`, `failed/`. A worker claims an upload by an atomic rename into its own claim folder
/// `processing/<host>#<pid>#<unique>/` (the name says who owns the claim). A finished upload
/// moves, unchanged, to `done/<name>/` with `report.json` and `report.md`; an unusable one to
/// `failed/<name>/` with `error.txt`. The store records each scan in one transaction, *before* the
/// upload leaves `processing/`: after a crash, `recover()` puts unfinished claims back in `incoming/`,
/// and an upload whose SHA-256 the store already knows is linked to that scan, not scanned (nor
/// recorded) again.
public final class Spool: @unchecked Sendable {
    // Safety: mutable state (`counters`) is guarded by `lock`; everything else is immutable.

    /// How the spool runs.
    public struct Options: Sendable {
        /// Uploads scanned at a time.
        public var workers = 1
        /// Whether an upload already scanned (same SHA-256) is scanned again.
        public var rescan = false
        /// After how long a claim of a live process counts as abandoned, in seconds.
        public var leaseSeconds: TimeInterval = 6 * 3600
        /// How each upload is scanned.
        public var scan = ScanOptions()

        /// Creates the default options.
        public init() {}
    }

    /// What happened to one upload.
    public enum Event: Sendable {
        /// Scanned and recorded as scan `scanID`.
        case done(upload: String, scanID: Int64, findings: [Severity: Int])
        /// The same bytes were scanned before, as scan `scanID`; linked, not scanned again.
        case duplicate(upload: String, scanID: Int64)
        /// Unusable: kept in `failed/` with the reason.
        case failed(upload: String, reason: String)
        /// A claim left by a crashed or stalled worker was put back in `incoming/`.
        case recovered(upload: String)
    }

    /// Totals of a run.
    public struct Summary: Sendable {
        /// Uploads scanned and recorded.
        public var done = 0
        /// Uploads recognised as already scanned.
        public var duplicates = 0
        /// Unusable uploads.
        public var failed = 0
        /// Findings over the scanned uploads, by severity.
        public var findings: [Severity: Int] = [:]
    }

    /// The spool's root folder.
    public let root: String
    let incoming: String
    let processing: String
    let done: String
    let failed: String
    private let store: ScanStore
    private let knowledgeBase: CompiledKnowledgeBase
    private let options: Options
    private let lock = NSLock()
    private var counters = Summary()

    /// Opens the spool at `root`, creating its folders.
    ///
    /// - Parameters:
    ///   - root: The spool folder.
    ///   - store: Where scans are recorded.
    ///   - knowledgeBase: The compiled knowledge base.
    ///   - options: How the spool runs.
    /// - Throws: `SpoolError` when the folders cannot be created.
    public init(root: String, store: ScanStore, knowledgeBase: CompiledKnowledgeBase, options: Options) throws(SpoolError) {
        self.root = root
        incoming = (root as NSString).appendingPathComponent("incoming")
        processing = (root as NSString).appendingPathComponent("processing")
        done = (root as NSString).appendingPathComponent("done")
        failed = (root as NSString).appendingPathComponent("failed")
        self.store = store
        self.knowledgeBase = knowledgeBase
        self.options = options
        for folder in [incoming, processing, done, failed] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .unusable(path: folder, reason: error.localizedDescription)
            }
        }
    }

    /// The totals so far.
    public var summary: Summary { lock.withLock { counters } }

    /// Puts back in `incoming/` every claim whose owner is dead or whose lease expired.
    ///
    /// - Parameter report: Learns of each upload put back.
    public func recover(_ report: (Event) -> Void = { _ in }) {
        let fm = FileManager.default
        for claim in (try? fm.contentsOfDirectory(atPath: processing)) ?? [] {
            let folder = (processing as NSString).appendingPathComponent(claim)
            if isLive(claim: claim, folder: folder) { continue }
            for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []) where !name.hasPrefix(".") {
                let target = Self.freeName(name, in: incoming)
                if rename((folder as NSString).appendingPathComponent(name), (incoming as NSString).appendingPathComponent(target)) == 0,
                    !name.hasSuffix(".properties")
                {
                    report(.recovered(upload: target))
                }
            }
            try? fm.removeItem(atPath: folder)
        }
    }

    /// Whether a claim still belongs to a working process: its owner (from the folder's name) runs on
    /// this host, or the lease since the folder last changed has not expired.
    private func isLive(claim: String, folder: String) -> Bool {
        let modified = (try? FileManager.default.attributesOfItem(atPath: folder)[.modificationDate] as? Date) ?? .distantPast
        let leaseRunning = Date().timeIntervalSince(modified) < options.leaseSeconds
        let parts = claim.split(separator: "#")
        guard parts.count == 3, let pid = Int32(parts[1]), String(parts[0]) == ProcessInfo.processInfo.hostName else {
            return leaseRunning  // another host's claim, or an unknown folder: only the lease can tell
        }
        let alive = kill(pid, 0) == 0 || errno == EPERM
        return alive && leaseRunning
    }

    /// Scans what is in `incoming/` now, with the configured number of workers, and returns when
    /// nothing is left (or `shouldStop` says so; scans in flight finish).
    ///
    /// - Parameters:
    ///   - shouldStop: Asked before each new claim.
    ///   - report: Learns of each upload's outcome (from any worker thread).
    /// - Returns: The totals of this run.
    @discardableResult
    public func runOnce(shouldStop: @Sendable () -> Bool = { false }, report: @Sendable (Event) -> Void = { _ in }) -> Summary {
        let before = summary
        DispatchQueue.concurrentPerform(iterations: max(1, options.workers)) { _ in
            while !shouldStop(), let claim = claimNext() {
                let event = process(claim)
                count(event)
                report(event)
            }
        }
        let after = summary
        var delta = Summary()
        delta.done = after.done - before.done
        delta.duplicates = after.duplicates - before.duplicates
        delta.failed = after.failed - before.failed
        for severity in Severity.allCases {
            delta.findings[severity] = (after.findings[severity] ?? 0) - (before.findings[severity] ?? 0)
        }
        return delta
    }

    /// Scans uploads as they land (polling `incoming/` every `interval` seconds) until `shouldStop`
    /// says so; scans in flight finish first.
    public func watch(interval: TimeInterval = 1, shouldStop: @escaping @Sendable () -> Bool, report: @escaping @Sendable (Event) -> Void) {
        while !shouldStop() {
            runOnce(shouldStop: shouldStop, report: report)
            var waited: TimeInterval = 0
            while waited < interval, !shouldStop() {
                usleep(100_000)
                waited += 0.1
            }
        }
    }

    private func count(_ event: Event) {
        lock.withLock {
            switch event {
            case let .done(_, _, findings):
                counters.done += 1
                for (severity, number) in findings { counters.findings[severity, default: 0] += number }
            case .duplicate: counters.duplicates += 1
            case .failed: counters.failed += 1
            case .recovered: break
            }
        }
    }

    // MARK: Claims

    struct Claim {
        let folder: String
        let name: String
        var upload: String { (folder as NSString).appendingPathComponent(name) }
    }

    /// Whether `name` in `incoming/` is an upload ready to claim.
    static func isUpload(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".part") && !name.hasSuffix(".properties")
    }

    private func claimNext() -> Claim? {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: incoming)) ?? []).filter(Self.isUpload).sorted()
        for name in names {
            // The claim folder's name says who owns it (host#pid#unique), so that it is never seen ownerless.
            let claimName = "\(ProcessInfo.processInfo.hostName)#\(getpid())#\(UUID().uuidString)"
            let folder = (processing as NSString).appendingPathComponent(claimName)
            guard mkdir(folder, 0o755) == 0 else { continue }
            let source = (incoming as NSString).appendingPathComponent(name)
            guard rename(source, (folder as NSString).appendingPathComponent(name)) == 0 else {
                try? fm.removeItem(atPath: folder)  // another worker took it first
                continue
            }
            _ = rename(source + ".properties", (folder as NSString).appendingPathComponent(name + ".properties"))
            return Claim(folder: folder, name: name)
        }
        return nil
    }

    // MARK: Processing

    private func process(_ claim: Claim) -> Event {
        guard let sha256 = SHA256.of(path: claim.upload) else {
            return fail(claim, reason: "\(claim.name): cannot read the upload", sha256: "unreadable")
        }
        if !options.rescan, let previous = try? store.scanID(sha256: sha256) {
            return finishDuplicate(claim, of: previous)
        }
        var scanOptions = options.scan
        scanOptions.defaults = Self.metadata(fromName: claim.name)
        let report: ScanReport
        do {
            report = try Scanner(knowledgeBase: knowledgeBase, options: scanOptions).scan([claim.upload])
        } catch {
            return fail(claim, reason: error.description.replacingOccurrences(of: claim.upload, with: claim.name), sha256: sha256)
        }
        let json = JSONReport.render(report)
        let markdown = MarkdownReport.render(report)
        let scanID: Int64
        do {
            let recorded = try store.record(
                report, upload: claim.name, sha256: sha256, json: json, markdown: markdown, unlessKnown: !options.rescan)
            // Another worker or process recorded the same bytes meanwhile: link to that scan.
            guard recorded.inserted else { return finishDuplicate(claim, of: recorded.id) }
            scanID = recorded.id
        } catch {
            // The store is unusable: leave the claim for recovery rather than lose the scan.
            return .failed(upload: claim.name, reason: "\(error); the upload stays in \(claim.folder)")
        }
        let target = move(claim, to: done)
        try? json.write(toFile: (target as NSString).appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        try? markdown.write(toFile: (target as NSString).appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        return .done(upload: claim.name, scanID: scanID, findings: report.countsBySeverity)
    }

    private func finishDuplicate(_ claim: Claim, of previous: Int64) -> Event {
        let target = move(claim, to: done)
        let note = "the same upload (by SHA-256) was scanned before as scan \(previous); not scanned again\n"
        try? note.write(toFile: (target as NSString).appendingPathComponent("duplicate-of.txt"), atomically: true, encoding: .utf8)
        for (format, file) in [("json", "report.json"), ("md", "report.md")] {
            if let text = try? store.report(id: previous, format: format) {
                try? text.write(toFile: (target as NSString).appendingPathComponent(file), atomically: true, encoding: .utf8)
            }
        }
        return .duplicate(upload: claim.name, scanID: previous)
    }

    private func fail(_ claim: Claim, reason: String, sha256: String) -> Event {
        _ = try? store.recordFailure(
            upload: claim.name, sha256: sha256, metadata: Self.metadata(fromName: claim.name), error: reason,
            knowledgeBaseVersion: knowledgeBase.source.version)
        let target = move(claim, to: failed)
        try? (reason + "\n").write(toFile: (target as NSString).appendingPathComponent("error.txt"), atomically: true, encoding: .utf8)
        return .failed(upload: claim.name, reason: reason)
    }

    /// Moves the claimed upload (and its sidecar) into a new folder `destination/<name>/` and drops the claim.
    private func move(_ claim: Claim, to destination: String) -> String {
        let fm = FileManager.default
        var target = (destination as NSString).appendingPathComponent(claim.name)
        var suffix = 2
        while mkdir(target, 0o755) != 0 {
            target = (destination as NSString).appendingPathComponent("\(claim.name)-\(suffix)")
            suffix += 1
        }
        for name in ((try? fm.contentsOfDirectory(atPath: claim.folder)) ?? []) where !name.hasPrefix(".") {
            _ = rename((claim.folder as NSString).appendingPathComponent(name), (target as NSString).appendingPathComponent(name))
        }
        try? fm.removeItem(atPath: claim.folder)
        return target
    }

    /// A name not yet taken in `folder`: `name`, else `name.recovered-2`, …
    static func freeName(_ name: String, in folder: String) -> String {
        var candidate = name
        var suffix = 2
        while FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(candidate)) {
            candidate = "\(name).recovered-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// The case and system a file name states: `C1234567_host-01_2026-11-20.zip`.
    static func metadata(fromName name: String) -> UploadMetadata {
        var metadata = UploadMetadata()
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        let parts = stem.split(whereSeparator: { $0 == "_" }).map(String.init)
        guard let first = parts.first, Scanner.isCaseNumber(first) else { return metadata }
        metadata.supportCase = first
        if parts.count > 1, parts[1].range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            metadata.system = parts[1]
        }
        metadata.sources = ["file name"]
        return metadata
    }
}

/// Why the spool cannot run.
public enum SpoolError: Error, CustomStringConvertible {
    /// A folder cannot be created or read.
    case unusable(path: String, reason: String)

    /// A message naming the folder and what is wrong.
    public var description: String {
        switch self {
        case let .unusable(path, reason): "spool folder \(path): \(reason)"
        }
    }
}
