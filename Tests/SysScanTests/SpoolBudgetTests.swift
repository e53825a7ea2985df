import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The spool under hostile uploads and stores: an upload past its time budget, a store file of random
/// bytes, a read-only spool folder.
@Suite(.serialized)
struct SpoolBudgetTests {
    typealias H = SpoolHarness

    @Test func anUploadPastItsTimeBudgetIsFiledInFailedAndTheSpoolGoesOn() throws {
        let root = try H.spool()
        // A time budget no scan can meet files every upload in failed/ with the reason; the run completes.
        try H.drop(try H.archive(), as: "slow.tgz", in: root)
        let result = try H.once(root, ["--max-scan-seconds", "0.000001"])
        #expect(result.status == 1, "\(result.stderr)")
        let error = try String(
            contentsOf: root.appendingPathComponent("failed/slow.tgz/error.txt"), encoding: .utf8)
        #expect(error.contains("its time budget"), "\(error)")
        // The next upload, within the default budget, is scanned.
        try H.drop(try H.archive(), as: "fine.tgz", in: root)
        let next = try H.once(root)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("done/fine.tgz/report.json").path))
    }

    @Test func aStoreOfRandomBytesIsAClearErrorNamingTheFile() throws {
        let root = try H.spool()
        var generator = SystemRandomNumberGenerator()
        let junk = Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try junk.write(to: root.appendingPathComponent("sysscan.sqlite"))
        try H.drop(try H.archive(), as: "upload.tgz", in: root)
        let result = try H.once(root)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("\(root.path)/sysscan.sqlite: file is not a database"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("incoming/upload.tgz").path))
    }

    @Test func aReadOnlySpoolFolderIsAClearError() throws {
        let root = try H.spool()
        try H.drop(try H.archive(), as: "upload.tgz", in: root)
        try H.giveAway(root)
        chmod(root.path, 0o555)
        defer { chmod(root.path, 0o755) }
        let result = try H.runUnprivileged(["spool", root.path, "--once", "--settle", "0"], timeout: 60)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains(root.path), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("incoming/upload.tgz").path))
    }
}
