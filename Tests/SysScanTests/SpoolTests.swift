import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The spool through real `sysscan spool` processes, with real SQLite files in temporary folders.
@Suite(.serialized)
struct SpoolTests {
    static let oom = "2026-11-20 10:15:30,123 SEVERE [exec-1] java.lang.OutOfMemoryError: Java heap space\n"

    /// A spool folder with `count` distinct uploads (tar.gz of a small node) and `broken` unusable ones.
    static func spool(uploads count: Int, broken: Int = 0, lines: Int = 50) throws -> URL {
        let root = try CLI.temporaryFolder()
        let incoming = root.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        for index in 0..<count {
            let node = root.appendingPathComponent("node\(index)")
            let body = (0..<lines).map { "2026-11-20 10:00:00,000 INFO [main] request \($0) of node \(index) served\n" }
                .joined()
            try CLI.write(
                [
                    "logs/catalina.out": Array((body + (index % 2 == 0 ? oom : "")).utf8),
                    "sysscan.properties": Array("system=node-\(index % 5)\n".utf8),
                ], below: node)
            try CLI.shell(
                "bsdtar -czf incoming/C12345\(String(format: "%02d", index))_node-\(index)_2026-11-20.tgz -C node\(index) . && rm -r node\(index)",
                in: root)
        }
        let bad: [(String, [UInt8])] = [
            ("notes.zip", Array("not an archive\n".utf8)), ("empty.tgz", []), ("cut.tgz", [0x1F, 0x8B, 0x08, 0x00]),
        ]
        for index in 0..<broken {
            let (name, bytes) = bad[index % bad.count]
            try Data(bytes).write(to: incoming.appendingPathComponent("\(index)-\(name)"))
        }
        return root
    }

    /// SHA-256 of every file below `folder`, by file name.
    static func digests(_ folder: URL) throws -> [String: String] {
        let result = try CLI.run("/bin/sh", ["-c", "find . -type f -exec sha256sum {} + | sort"], in: folder)
        var digests: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            digests[(String(parts[1]).trimmingCharacters(in: .whitespaces) as NSString).lastPathComponent] = String(
                parts[0])
        }
        return digests
    }

    static func entries(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    static func scanCount(_ root: URL) throws -> (done: Int, failed: Int, distinct: Int) {
        let history = try CLI.sysscan([
            "history", "--db", root.appendingPathComponent("sysscan.sqlite").path, "--format", "json",
        ])
        let scans = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        let done = scans.filter { $0["status"] as? String == "done" }
        let failed = scans.filter { $0["status"] as? String == "failed" }
        return (done.count, failed.count, Set(done.compactMap { $0["sha256"] as? String }).count)
    }

    @Test func twentyUploadsThreeBrokenAllAccountedForAndUnchanged() throws {
        let root = try Self.spool(uploads: 17, broken: 3)
        let before = try Self.digests(root.appendingPathComponent("incoming"))
        #expect(before.count == 20)
        let result = try CLI.sysscan(["spool", root.path, "--once", "--workers", "3", "--settle", "0"])
        #expect(result.status == 1, "an upload failed: \(result.stderr)")
        #expect(result.stderr.contains("sysscan spool: 17 done, 0 already scanned, 3 failed"))
        #expect(Self.entries(root.appendingPathComponent("incoming")).isEmpty)
        #expect(Self.entries(root.appendingPathComponent("processing")).isEmpty)
        #expect(Self.entries(root.appendingPathComponent("done")).count == 17)
        #expect(Self.entries(root.appendingPathComponent("failed")).count == 3)
        let after = try Self.digests(root)
        for (name, digest) in before { #expect(after[name] == digest, "\(name) changed or disappeared") }
        let failed = root.appendingPathComponent("failed/0-notes.zip/error.txt")
        #expect((try? String(contentsOf: failed, encoding: .utf8))?.contains("0-notes.zip: not an archive") == true)
        let done = Self.entries(root.appendingPathComponent("done")).first ?? ""
        #expect(Self.entries(root.appendingPathComponent("done/\(done)")).contains("report.json"))
        #expect(Self.entries(root.appendingPathComponent("done/\(done)")).contains("report.md"))
        let counts = try Self.scanCount(root)
        #expect(counts.done == 17 && counts.failed == 3 && counts.distinct == 17)
        let history = try CLI.sysscan([
            "history", "--db", root.appendingPathComponent("sysscan.sqlite").path, "--case", "C1234500",
        ])
        #expect(history.stdout.split(separator: "\n").count == 2, "a header and one scan: \(history.stdout)")
    }

    @Test func twoSpoolProcessesOnOneFolderScanEachUploadOnce() throws {
        let root = try Self.spool(uploads: 20, lines: 2000)
        let binary = CLI.binary.path
        let env = ["SYSSCAN_KNOWLEDGE_BASE": CLI.knownIssues]
        let processes = try (0..<2).map { _ -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["spool", root.path, "--once", "--quiet", "--settle", "0"]
            process.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let counts = try Self.scanCount(root)
        #expect(counts.done == 20 && counts.distinct == 20 && counts.failed == 0)
        #expect(Self.entries(root.appendingPathComponent("done")).count == 20)
        #expect(Self.entries(root.appendingPathComponent("incoming")).isEmpty)
    }

    @Test func aSpoolKilledMidRunIsRecoveredWithNothingLostOrRecordedTwice() throws {
        let root = try Self.spool(uploads: 12, lines: 60_000)
        let before = try Self.digests(root.appendingPathComponent("incoming"))
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["spool", root.path, "--once", "--quiet", "--settle", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SYSSCAN_KNOWLEDGE_BASE": CLI.knownIssues]) {
            _, new in new
        }
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Self.entries(root.appendingPathComponent("done")).isEmpty, Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let doneAtKill = Self.entries(root.appendingPathComponent("done")).count
        #expect(doneAtKill < 12, "the run must be interrupted mid-way")
        let restart = try CLI.sysscan(["spool", root.path, "--once", "--settle", "0"])
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(Self.entries(root.appendingPathComponent("incoming")).isEmpty)
        #expect(Self.entries(root.appendingPathComponent("processing")).isEmpty)
        #expect(Self.entries(root.appendingPathComponent("done")).count == 12)
        let counts = try Self.scanCount(root)
        #expect(counts.done == 12 && counts.distinct == 12, "no scan recorded twice")
        let after = try Self.digests(root)
        for (name, digest) in before { #expect(after[name] == digest, "\(name) changed or disappeared") }
    }

    @Test func theSameUploadTwiceIsScannedOnce() throws {
        let root = try Self.spool(uploads: 1)
        let upload = try #require(Self.entries(root.appendingPathComponent("incoming")).first)
        try CLI.sysscan(["spool", root.path, "--once", "--settle", "0"])
        try CLI.shell("cp 'done/\(upload)/\(upload)' 'incoming/\(upload)'", in: root)
        let second = try CLI.sysscan(["spool", root.path, "--once", "--settle", "0"])
        #expect(second.stderr.contains("0 done, 1 already scanned"), "\(second.stderr)")
        let counts = try Self.scanCount(root)
        #expect(counts.done == 1)
        let copies = Self.entries(root.appendingPathComponent("done")).filter { $0 != upload }
        #expect(copies.count == 1)
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("done/\(copies.first ?? "")/duplicate-of.txt").path))
    }

    @Test func diffOfTwoScansOfOneSystemShowsFixedAndNewFindings() throws {
        let root = try CLI.temporaryFolder()
        let db = root.appendingPathComponent("history.sqlite").path
        let first = [
            "logs/catalina.out": Array(Self.oom.utf8), "sysscan.properties": Array("system=appnode-09\n".utf8),
        ]
        let second = [
            "logs/catalina.out": Array(
                "2026-11-21 09:00:00,000 SEVERE [exec-2] java.lang.OutOfMemoryError: Metaspace\n".utf8),
            "sysscan.properties": Array("system=appnode-09\n".utf8),
        ]
        try CLI.write(first, below: root.appendingPathComponent("first"))
        try CLI.write(second, below: root.appendingPathComponent("second"))
        #expect(try CLI.sysscan(["scan", root.appendingPathComponent("first").path, "--db", db]).status == 0)
        #expect(try CLI.sysscan(["scan", root.appendingPathComponent("second").path, "--db", db]).status == 0)
        let diff = try CLI.sysscan(["diff", "2", "--db", db, "--format", "json"]).json()
        #expect((diff["older_scan"] as? Int) == 1)
        #expect((diff["new"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["JVM-OOM-METASPACE"])
        #expect((diff["fixed"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["JVM-OOM-JAVA-HEAP"])
        let text = try CLI.sysscan(["diff", "1", "2", "--db", db])
        #expect(text.stdout.hasPrefix("Scan 2 compared with scan 1: 1 new, 1 fixed, 0 still present"))
        let shown = try CLI.sysscan(["show", "1", "--db", db, "--format", "md"])
        #expect(shown.stdout.hasPrefix("# SysScan report: first"))
    }

    @Test func withoutOnceTheSpoolWatchesUntilSIGTERMAndFinishesInFlight() throws {
        let root = try Self.spool(uploads: 2)
        let names = Self.entries(root.appendingPathComponent("incoming"))
        try CLI.shell("mkdir -p later && mv incoming/\(names[1]) later/", in: root)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["spool", root.path, "--settle", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SYSSCAN_KNOWLEDGE_BASE": CLI.knownIssues]) {
            _, new in new
        }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        func waitForDone(_ count: Int) {
            let deadline = Date().addingTimeInterval(30)
            while Self.entries(root.appendingPathComponent("done")).count < count, Date() < deadline { usleep(50_000) }
        }
        waitForDone(1)
        // An upload that lands while the spool runs: written as .part, then renamed, as uploaders do.
        try CLI.shell(
            "cp later/\(names[1]) incoming/\(names[1]).part && mv incoming/\(names[1]).part incoming/\(names[1])",
            in: root)
        waitForDone(2)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(stderr.contains("sysscan spool: 2 done, 0 already scanned, 0 failed"), "\(stderr)")
        #expect(Self.entries(root.appendingPathComponent("incoming")).isEmpty)
        #expect(Self.entries(root.appendingPathComponent("processing")).isEmpty)
    }

    /// Regression: two spool processes creating a new store at once failed ("database is locked" while
    /// switching to WAL, then "table already exists" from a second migration).
    @Test func processesCreatingOneNewStoreAtOnceAllSucceed() throws {
        for round in 0..<5 {
            let db = try CLI.temporaryFolder().appendingPathComponent("new-\(round).sqlite").path
            let processes = try (0..<4).map { _ -> Process in
                let process = Process()
                process.executableURL = CLI.binary
                process.arguments = ["spool", try CLI.temporaryFolder().path, "--once", "--db", db]
                process.environment = ProcessInfo.processInfo.environment.merging([
                    "SYSSCAN_KNOWLEDGE_BASE": CLI.knownIssues
                ]) { _, new in new }
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            for process in processes { process.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0], "round \(round)")
        }
    }
}
