import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The spool under faults: folders it cannot write, names at the file-system limit, a store it cannot
/// use, SIGKILL at every step, a broken knowledge base on SIGHUP.
///
/// Permission cases run the spool as an unprivileged user (root ignores permissions). Nothing may ever
/// be deleted, no loop may run forever.
@Suite(.serialized)
struct SpoolFaultTests {
    typealias H = SpoolHarness

    static let host = ProcessInfo.processInfo.hostName

    /// A claim folder as a killed worker leaves it (an earlier version's: no manifest), holding `name`.
    @discardableResult
    static func deadClaim(_ root: URL, holding data: Data, name: String) throws -> URL {
        let claim = root.appendingPathComponent("processing/\(host)#999999#\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: claim, withIntermediateDirectories: true)
        try data.write(to: claim.appendingPathComponent(name))
        return claim
    }

    @Test func aDeadClaimWhoseUploadCannotGoBackToIncomingIsCompletedNotDeleted() throws {
        let root = try H.spool()
        let bytes = try H.archive()
        let longName = String(repeating: "x", count: 246) + ".tgz"  // 250 bytes: NAME.recovered-2 would not fit
        try Self.deadClaim(root, holding: bytes, name: "C1234567_host_2026-11-20.tgz")
        try Self.deadClaim(root, holding: bytes + Data([0]), name: longName)
        // An upload of the same name waits in incoming/: the dead claim must not collide with it.
        try H.drop(try H.archive(log: H.metaspace), as: "C1234567_host_2026-11-20.tgz", in: root)
        _ = try H.once(root, ["--db", root.appendingPathComponent("sysscan.sqlite").path])  // creates the store as root
        // Now the same state again, with incoming/ not writable, run as an unprivileged user.
        let second = try H.spool()
        try Self.deadClaim(second, holding: bytes, name: "C1234567_host_2026-11-20.tgz")
        try Self.deadClaim(second, holding: bytes, name: longName)
        try H.giveAway(second)
        chmod(second.appendingPathComponent("incoming").path, 0o555)
        let result = try H.runUnprivileged(["spool", second.path, "--once", "--settle", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let done = H.entries(second.appendingPathComponent("done"))
        #expect(done.count == 2, "\(done) \(result.stderr)")
        #expect(H.files(below: second.appendingPathComponent("done")).contains { $0.hasSuffix("/" + longName) })
        #expect(H.entries(second.appendingPathComponent("processing")).isEmpty)
        // And the first spool: both dead claims done, the waiting upload too.
        #expect(H.entries(root.appendingPathComponent("done")).count == 3)
        #expect(H.entries(root.appendingPathComponent("processing")).isEmpty)
    }

    @Test func unwritableDoneOrFailedStopsTheSpoolAtOnceWithTheUploadKept() throws {
        for folder in ["done", "failed"] {
            let root = try H.spool()
            let bytes = try H.archive()
            try H.drop(bytes, as: "upload.tgz", in: root)
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            try H.giveAway(root)
            chmod(root.appendingPathComponent(folder).path, 0o555)
            let started = Date()
            let result = try H.runUnprivileged(["spool", root.path, "--once", "--settle", "0"], timeout: 60)
            #expect(Date().timeIntervalSince(started) < 30, "no endless loop")
            #expect(result.status == 3, "\(folder): \(result.stderr)")
            #expect(result.stderr.contains("\(folder)") && result.stderr.contains("not writable"), "\(result.stderr)")
            #expect(try Data(contentsOf: root.appendingPathComponent("incoming/upload.tgz")) == bytes)
        }
    }

    @Test func twoUploadsOfA254ByteNameAreBothFiled() throws {
        let root = try H.spool()
        let name = String(repeating: "n", count: 250) + ".tgz"
        try H.drop(try H.archive(), as: name, in: root)
        try H.once(root)
        try H.drop(try H.archive(log: H.metaspace), as: name, in: root)
        let started = Date()
        let result = try H.once(root)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.status == 0, "\(result.stderr)")
        let done = H.entries(root.appendingPathComponent("done"))
        #expect(done.count == 2 && done.allSatisfy { $0.utf8.count <= 255 }, "\(done)")
        #expect(H.files(below: root.appendingPathComponent("done")).filter { $0.hasSuffix("/" + name) }.count == 2)
    }

    @Test func aFailureWithACaseTheStoreDoesNotKnowIsRecorded() throws {
        let root = try H.spool()
        for index in 0..<5 {
            try H.drop(
                Data("not an archive \(index)\n".utf8), as: "C765432\(index)_host-\(index)_2026-11-20.zip", in: root)
        }
        try H.drop(try H.archive(), as: "C7654329_good.tgz", in: root)
        let result = try H.once(root)
        #expect(result.status == 1, "an upload failed: \(result.stderr)")
        let history = try H.history(root)
        let failed = history.filter { $0["status"] as? String == "failed" }
        #expect(failed.count == 5)
        #expect(Set(failed.compactMap { $0["case"] as? String }) == Set((0..<5).map { "C765432\($0)" }))
        #expect(failed.allSatisfy { ($0["error"] as? String)?.contains("not an archive") == true })
    }

    /// Kills the spool (SIGKILL) at each named step of its work, then restarts it: every upload ends in
    /// `done/` or `failed/` with its files, recorded exactly once, with no temporary file left.
    @Test(arguments: ["claimed", "recorded", "reports-written"])
    func aSIGKILLAtEachStepIsCompletedOnRestart(point: String) throws {
        let root = try H.spool()
        try H.drop(try H.archive(), as: "C1000001_a.tgz", in: root)
        try H.drop(Data("not an archive\n".utf8), as: "C1000002_b.zip", in: root)
        for _ in 0..<2 {
            let killed = try H.once(root, environment: ["SYSSCAN_SPOOL_KILL_AT": point])
            #expect(killed.status != 0)
        }
        let restart = try H.once(root)
        #expect(restart.status == 1, "one upload is unusable: \(restart.stderr)")
        let history = try H.history(root)
        #expect(history.count == 2, "each outcome recorded once: \(history)")
        #expect(Set(history.compactMap { $0["upload"] as? String }) == ["C1000001_a.tgz", "C1000002_b.zip"])
        let done = H.files(below: root.appendingPathComponent("done"))
        #expect(done.contains("C1000001_a.tgz/report.json") && done.contains("C1000001_a.tgz/report.md"), "\(done)")
        #expect(H.files(below: root.appendingPathComponent("failed")).contains("C1000002_b.zip/error.txt"))
        #expect(H.entries(root.appendingPathComponent("processing")).isEmpty)
        #expect(!H.files(below: root).contains { $0.contains(".sysscan-tmp-") }, "no temporary file left")
    }

    @Test func randomSIGKILLsLoseNothingAndRecordEachUploadOnce() throws {
        let root = try H.spool()
        var digests: [String: Data] = [:]
        for index in 0..<8 {
            let bytes = try H.archive(log: String(repeating: H.oom, count: 2000 * (index + 1)) + "node \(index)\n")
            digests["C20000\(String(format: "%02d", index))_n.tgz"] = bytes
            try H.drop(bytes, as: "C20000\(String(format: "%02d", index))_n.tgz", in: root)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let (process, errors) = try H.start(root, ["--once", "--settle", "0", "--quiet"])
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            _ = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        }
        let restart = try H.once(root)
        #expect(restart.status == 0, "\(restart.stderr)")
        let history = try H.history(root)
        #expect(history.count == 8, "\(history.map { $0["upload"] ?? "" })")
        #expect(Set(history.compactMap { $0["upload"] as? String }).count == 8)
        for (name, bytes) in digests {
            #expect(try Data(contentsOf: root.appendingPathComponent("done/\(name)/\(name)")) == bytes, "\(name)")
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("done/\(name)/report.md").path))
        }
        #expect(!H.files(below: root).contains { $0.contains(".sysscan-tmp-") })
    }

    @Test func aSIGKILLDuringTheSettleWaitAndDuringARetryLosesNothing() throws {
        let root = try H.spool()
        try H.drop(try H.archive(), as: "settling.tgz", in: root)
        let (process, errors) = try H.start(root, ["--settle", "5", "--poll", "0.2"])
        usleep(1_000_000)
        kill(process.processIdentifier, SIGKILL)
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(H.entries(root.appendingPathComponent("incoming")) == ["settling.tgz"])
        try H.once(root)
        #expect(H.entries(root.appendingPathComponent("done")) == ["settling.tgz"])
        // A failed upload with its sidecar, sent back; the retry is killed between the two moves.
        try H.drop(Data("text\n".utf8), as: "broken.zip", in: root)
        try H.sidecar("case=C3333333\n", for: "broken.zip", in: root)
        try H.once(root)
        #expect(H.entries(root.appendingPathComponent("failed/broken.zip")).contains("broken.zip.properties"))
        let killed = try CLI.sysscan(
            ["spool", "retry", root.path, "broken.zip"], environment: ["SYSSCAN_SPOOL_KILL_AT": "retry-sidecar-moved"])
        #expect(killed.status != 0)
        let retried = try CLI.sysscan(["spool", "retry", root.path, "broken.zip"])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(H.entries(root.appendingPathComponent("incoming")) == ["broken.zip", "broken.zip.properties"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("failed/broken.zip").path))
        try H.once(root)
        let history = try H.history(root).filter { $0["upload"] as? String == "broken.zip" }
        #expect(history.count == 2, "the first failure stays in the history, the retry is recorded")
        #expect(history.allSatisfy { $0["case"] as? String == "C3333333" })
    }

    @Test func anUnwritableIncomingOrACorruptStoreIsAFaultWithTheUploadKept() throws {
        // incoming/ not writable: an error that names it, exit 3.
        let root = try H.spool()
        let bytes = try H.archive()
        try H.drop(bytes, as: "upload.tgz", in: root)
        try H.giveAway(root)
        chmod(root.appendingPathComponent("incoming").path, 0o555)
        let result = try H.runUnprivileged(["spool", root.path, "--once", "--settle", "0"], timeout: 60)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("incoming is not writable"), "\(result.stderr)")
        #expect(try Data(contentsOf: root.appendingPathComponent("incoming/upload.tgz")) == bytes)
        // A store whose pages are damaged: the upload goes back to incoming/, exit 3.
        let spool = try H.spool()
        try H.drop(try H.archive(log: H.metaspace), as: "first.tgz", in: spool)
        try H.once(spool)
        // Damage the pages of the finding table (the schema stays readable, so the store opens).
        let db = spool.appendingPathComponent("sysscan.sqlite")
        let corrupt = """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1]); con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = con.execute("PRAGMA page_size").fetchone()[0]
            roots = [r[0] for r in con.execute("SELECT rootpage FROM sqlite_master WHERE name IN ('finding', 'evidence')")]
            con.close()
            with open(sys.argv[1], "r+b") as f:
                for root in roots:
                    f.seek((root - 1) * size); f.write(bytes([0xA5]) * size)
            """
        let damaged = try CLI.run("/usr/bin/env", ["python3", "-c", corrupt, db.path])
        #expect(damaged.status == 0, "\(damaged.stderr)")
        try H.drop(bytes, as: "second.tgz", in: spool)
        let broken = try H.once(spool)
        #expect(broken.status == 3, "\(broken.stderr)")
        #expect(broken.stderr.contains("sysscan.sqlite"), "\(broken.stderr)")
        #expect(try Data(contentsOf: spool.appendingPathComponent("incoming/second.tgz")) == bytes)
        #expect(H.entries(spool.appendingPathComponent("processing")).isEmpty)
    }

    @Test func aSIGHUPWithABrokenKnowledgeBaseKeepsTheOneInUse() throws {
        let knowledgeBase = try CLI.temporaryFolder().appendingPathComponent("kb")
        try CLI.shell(
            "cp -r '\(CLI.knownIssues)' '\(knowledgeBase.path)'", in: knowledgeBase.deletingLastPathComponent())
        let root = try H.spool()
        let (process, errors) = try H.start(
            root, ["--settle", "0", "--poll", "0.2"], environment: ["SYSSCAN_KNOWLEDGE_BASE": knowledgeBase.path])
        // A first upload filed proves the spool runs, its SIGHUP handler installed (however long the start).
        try H.drop(try H.archive(), as: "before-hup.tgz", in: root)
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 1 })
        let rule = try #require(H.files(below: knowledgeBase).first { $0.hasSuffix("JVM-OOM-JAVA-HEAP.yaml") })
        try Data("id: [broken\n".utf8).write(to: knowledgeBase.appendingPathComponent(rule))
        // The log is read as it comes: the reload's outcome is waited for, however long loading takes.
        let log = LogCollector(errors)
        kill(process.processIdentifier, SIGHUP)
        #expect(H.wait(seconds: 60) { log.text.contains("was not reloaded") })
        try H.drop(try H.archive(), as: "after-hup.tgz", in: root)
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 2 })
        let (status, rest) = H.stop(process, errors)
        let stderr = log.finish() + rest
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("was not reloaded"), "\(stderr)")
        #expect(stderr.contains("JVM-OOM-JAVA-HEAP"), "the error names the broken file: \(stderr)")
        let report = try String(
            contentsOf: root.appendingPathComponent("done/after-hup.tgz/report.json"), encoding: .utf8)
        #expect(report.contains("JVM-OOM-JAVA-HEAP"), "scanned with the knowledge base in use")
    }

    @Test func theLogAndTheMetricsFileSayWhatHappened() throws {
        let root = try H.spool()
        try H.drop(try H.archive(), as: "C1212121_node_2026-11-20.tgz", in: root)
        try H.drop(Data("junk".utf8), as: "junk.zip", in: root)
        let metrics = root.appendingPathComponent("sysscan.prom")
        let result = try H.once(root, ["--metrics-file", metrics.path])
        #expect(result.status == 1)
        let line = try #require(
            result.stderr.split(separator: "\n").first { $0.contains("C1212121_node_2026-11-20.tgz") })
        #expect(line.contains("case=C1212121") && line.contains("outcome=done"), "\(line)")
        #expect(
            line.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"#, options: .regularExpression) != nil,
            "timestamped: \(line)")
        let text = try String(contentsOf: metrics, encoding: .utf8)
        #expect(text.contains("sysscan_spool_uploads_total{outcome=\"done\"} 1"))
        #expect(text.contains("sysscan_spool_uploads_total{outcome=\"failed\"} 1"))
        #expect(text.contains("# TYPE sysscan_spool_queue_depth gauge"))
        #expect(text.contains("sysscan_spool_last_success_timestamp_seconds"))
        #expect(!H.entries(root).contains { $0.hasPrefix(".sysscan-tmp-") })
    }
}

/// Collects what a process writes to a pipe as it arrives, so a test can wait for a line.
final class LogCollector: @unchecked Sendable {
    // Safety: `collected` is guarded by `lock`.
    private let lock = NSLock()
    private var collected = Data()
    private let pipe: Pipe

    init(_ pipe: Pipe) {
        self.pipe = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.collected.append(data)
            self.lock.unlock()
        }
    }

    /// What arrived so far.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Stops collecting and returns what arrived.
    func finish() -> String {
        pipe.fileHandleForReading.readabilityHandler = nil
        return text
    }
}
