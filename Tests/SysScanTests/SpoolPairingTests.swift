import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Which metadata goes with which upload, when an upload is complete, and what the same bytes for
/// another case become: through real `sysscan spool` processes.
@Suite(.serialized)
struct SpoolPairingTests {
    typealias H = SpoolHarness

    static func scan(_ history: [[String: Any]], upload: String) -> [[String: Any]] {
        history.filter { $0["upload"] as? String == upload }
    }

    @Test func aLateSidecarIsNeverAppliedToTheNextUploadOfItsName() throws {
        let root = try H.spool()
        let upload = try H.archive()
        try H.drop(upload, as: "same.tgz", in: root)
        try H.once(root)
        // The first customer's sidecar lands after its upload was scanned.
        try H.sidecar("case=C1111111\n", for: "same.tgz", in: root)
        try H.once(root)
        // Another customer's upload of the same name (other bytes).
        try H.drop(try H.archive(log: H.metaspace), as: "same.tgz", in: root)
        let third = try H.once(root)
        #expect(third.status == 0, "\(third.stderr)")
        let history = try H.history(root)
        #expect(history.count == 2)
        #expect(
            history.allSatisfy { $0["case"] as? String == nil }, "no scan may carry the late sidecar's case: \(history)"
        )
        let filed = root.appendingPathComponent("failed/same.tgz.properties")
        #expect(H.entries(filed).contains("same.tgz.properties"))
        let reason = try String(contentsOf: filed.appendingPathComponent("error.txt"), encoding: .utf8)
        #expect(reason.contains("arrived after the upload same.tgz was claimed"))
        #expect(H.entries(root.appendingPathComponent("incoming")).isEmpty)
    }

    @Test func sidecarFirstUploadFirstAndTwoCustomersOfOneNameEachGetTheirOwnCase() throws {
        let root = try H.spool()
        // Sidecar first, then its upload.
        try H.sidecar("case=C2000001\nsystem=alpha\n", for: "a.tgz", in: root)
        try H.drop(try H.archive(), as: "a.tgz", in: root)
        // Upload first, its sidecar right after (before the upload settles).
        try H.drop(try H.archive(log: H.metaspace), as: "b.tgz", in: root)
        try H.sidecar("case=C2000002\nsystem=beta\n", for: "b.tgz", in: root)
        let (process, errors) = try H.start(root, ["--settle", "1", "--poll", "0.2"])
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 2 })
        // Two customers upload the same name one after the other, each with its metadata first.
        try H.sidecar("case=C3000001\n", for: "upload.tgz", in: root)
        try H.drop(try H.archive(log: H.oom + "one\n"), as: "upload.tgz", in: root)
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 3 })
        try H.sidecar("case=C3000002\n", for: "upload.tgz", in: root)
        try H.drop(try H.archive(log: H.oom + "two\n"), as: "upload.tgz", in: root)
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 4 })
        let (status, stderr) = H.stop(process, errors)
        #expect(status == 0, "\(stderr)")
        let history = try H.history(root)
        let cases = Dictionary(grouping: history, by: { $0["upload"] as? String ?? "" }).mapValues {
            $0.compactMap { $0["case"] as? String }.sorted()
        }
        #expect(cases["a.tgz"] == ["C2000001"])
        #expect(cases["b.tgz"] == ["C2000002"])
        #expect(cases["upload.tgz"] == ["C3000001", "C3000002"])
        #expect(H.entries(root.appendingPathComponent("failed")).isEmpty)
    }

    @Test func theSameBytesForANewCaseAreRecordedAsAScanOfThatCase() throws {
        let root = try H.spool()
        let bytes = try H.archive(extra: ["sysscan.properties": "system=node-7\n"])
        try H.sidecar("case=C1234567\n", for: "healthy.tgz", in: root)
        try H.drop(bytes, as: "healthy.tgz", in: root)
        try H.once(root)
        try H.sidecar("case=C1234568\n", for: "healthy2.tgz", in: root)
        try H.drop(bytes, as: "healthy2.tgz", in: root)
        let second = try H.once(root)
        #expect(second.stderr.contains("1 done, 0 already scanned"), "\(second.stderr)")
        let db = root.appendingPathComponent("sysscan.sqlite").path
        let cases = try CLI.sysscan(["cases", "C1234568", "--db", db])
        #expect(cases.stdout.hasPrefix("Case C1234568: 1 scan\n"), "\(cases.stdout)")
        #expect(cases.stdout.contains("JVM-OOM-JAVA-HEAP"))
        let history = try H.history(root)
        let linked = try #require(Self.scan(history, upload: "healthy2.tgz").first)
        #expect(linked["case"] as? String == "C1234568")
        #expect(linked["system"] as? String == "node-7")
        #expect(linked["status"] as? String == "done")
        #expect(linked["linked_scan"] as? Int == 1)
        let report = try String(
            contentsOf: root.appendingPathComponent("done/healthy2.tgz/report.json"), encoding: .utf8)
        #expect(
            report.contains("C1234568") && !report.contains("C1234567"), "the other customer's case must not appear")
        #expect(!report.contains("healthy.tgz!"), "artifact names are this upload's")
        // The same bytes again for the same case: a duplicate, recorded as such.
        try H.sidecar("case=C1234568\n", for: "healthy3.tgz", in: root)
        try H.drop(bytes, as: "healthy3.tgz", in: root)
        let third = try H.once(root)
        #expect(third.stderr.contains("0 done, 1 already scanned"), "\(third.stderr)")
        #expect(Self.scan(try H.history(root), upload: "healthy3.tgz").first?["status"] as? String == "duplicate")
        let diff = try CLI.sysscan(["diff", "1", "2", "--db", db])
        #expect(
            diff.stdout.hasPrefix("Scan 2 compared with scan 1: 0 new, 0 fixed, 1 still present"),
            "\(diff.stdout)\(diff.stderr)")
    }

    @Test func anUploadWrittenInPlaceOverTenSecondsIsClaimedOnlyWhenComplete() throws {
        let root = try H.spool()
        // Content that does not compress, so that the archive takes many 4 KiB writes.
        let blob = (0..<3000).map { _ in UUID().uuidString + UUID().uuidString }.joined(separator: "\n")
        let bytes = try H.archive(extra: ["data/blob.txt": blob])
        #expect(bytes.count > 100_000)
        let (process, errors) = try H.start(root, ["--settle", "3", "--poll", "0.2"])
        let target = root.appendingPathComponent("incoming/slow.tgz")
        #expect(FileManager.default.createFile(atPath: target.path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: target.path))
        let chunk = 4096
        let chunks = (bytes.count + chunk - 1) / chunk
        let pause = UInt32(10_000_000 / max(chunks, 1))
        var offset = 0
        while offset < bytes.count {
            handle.write(bytes.subdata(in: offset..<min(offset + chunk, bytes.count)))
            offset += chunk
            usleep(pause)
        }
        try handle.close()
        // A folder copied file by file, with pauses shorter than the settle time.
        let folder = root.appendingPathComponent("incoming/node-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<4 {
            let logs = folder.appendingPathComponent("logs-\(index)")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try Data((H.oom + "part \(index)\n").utf8).write(to: logs.appendingPathComponent("catalina.out"))
            usleep(1_000_000)
        }
        #expect(H.wait(seconds: 30) { H.entries(root.appendingPathComponent("done")).count == 2 })
        let (status, stderr) = H.stop(process, errors)
        #expect(status == 0, "\(stderr)")
        #expect(H.entries(root.appendingPathComponent("failed")).isEmpty, "\(stderr)")
        let scanned = try Data(contentsOf: root.appendingPathComponent("done/slow.tgz/slow.tgz"))
        #expect(scanned == bytes, "the upload was claimed before it was complete")
        #expect(try H.history(root).count == 2, "the folder is one upload, scanned once")
    }

    @Test func aFolderDropOfSeveralPartsAndItsMetadataIsOneUpload() throws {
        let root = try H.spool()
        let drop = root.appendingPathComponent("incoming/C4444444_multi")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        try H.archive().write(to: drop.appendingPathComponent("part1.tgz"))
        try H.archive(log: H.metaspace).write(to: drop.appendingPathComponent("part2.tgz"))
        try Data("system=multi-node\nenvironment=production\n".utf8).write(
            to: drop.appendingPathComponent("upload.properties"))
        let result = try H.once(root)
        #expect(result.status == 0, "\(result.stderr)")
        let history = try H.history(root)
        #expect(history.count == 1)
        #expect(history.first?["case"] as? String == "C4444444")
        #expect(history.first?["system"] as? String == "multi-node")
        let report = try String(
            contentsOf: root.appendingPathComponent("done/C4444444_multi/report.json"), encoding: .utf8)
        #expect(report.contains("JVM-OOM-JAVA-HEAP") && report.contains("JVM-OOM-METASPACE"))
    }

    @Test func anUploadInWhichNothingCouldBeCheckedIsFiledAsFailed() throws {
        let root = try H.spool()
        let folder = try CLI.temporaryFolder()
        try CLI.write(["catalina_out.txt": Array("hello\n".utf8)], below: folder.appendingPathComponent("node"))
        try CLI.shell("bsdtar -czf wrong.tgz -C node .", in: folder)
        try H.drop(try Data(contentsOf: folder.appendingPathComponent("wrong.tgz")), as: "C5555555_wrong.tgz", in: root)
        let result = try H.once(root)
        #expect(result.status == 1, "an upload failed: \(result.stderr)")
        let reason = try String(
            contentsOf: root.appendingPathComponent("failed/C5555555_wrong.tgz/error.txt"), encoding: .utf8)
        #expect(reason.contains("nothing could be checked"))
        let history = try H.history(root)
        #expect(history.first?["status"] as? String == "failed")
        #expect(history.first?["case"] as? String == "C5555555")
    }
}
