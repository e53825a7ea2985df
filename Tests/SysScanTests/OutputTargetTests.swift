import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--output` and `--output-dir` write into what they are given: a FIFO, a device or a symbolic link stays what it
/// is (as with `sort -o`); only a new or regular file is replaced atomically.
@Suite(.serialized)
struct OutputTargetTests {
    static let oom = "2026-11-20 10:15:30,123 SEVERE [main] java.lang.OutOfMemoryError: Java heap space\n"

    /// A temporary folder holding `upload/logs/app.log` with one out-of-memory line.
    static func workspace() throws -> (root: URL, upload: String) {
        let root = try CLI.temporaryFolder()
        try CLI.write(["upload/logs/app.log": Array(oom.utf8)], below: root)
        return (root, root.appendingPathComponent("upload").path)
    }

    /// The file type bits of `path` itself (a link is not followed), or nil when there is nothing there.
    static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// The rules of a JSON report.
    static func rules(_ data: Data) throws -> [String] {
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    }

    /// glibc's `makedev(major, minor)` (a macro Swift does not import).
    static func deviceNumber(major: UInt64, minor: UInt64) -> dev_t {
        dev_t((major & 0xFFF) << 8 | (major & ~0xFFF) << 32 | (minor & 0xFF) | (minor & ~0xFF) << 12)
    }

    /// Whether device nodes can be made here (root, and a container that allows `mknod`).
    static let canMakeDeviceNodes: Bool = {
        guard getuid() == 0, let root = try? CLI.temporaryFolder() else { return false }
        let node = root.appendingPathComponent("null").path
        return mknod(node, S_IFCHR | 0o666, deviceNumber(major: 1, minor: 3)) == 0
    }()

    @Test func aFIFOStaysAFIFOAndItsReaderGetsTheReport() throws {
        let (root, upload) = try Self.workspace()
        let fifo = root.appendingPathComponent("report.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let received = root.appendingPathComponent("received.json")
        #expect(FileManager.default.createFile(atPath: received.path, contents: nil))
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        reader.standardOutput = try FileHandle(forWritingTo: received)
        try reader.run()
        defer { if reader.isRunning { reader.terminate() } }

        let result = try CLI.sysscan(["scan", upload, "--format", "json", "-o", fifo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.fileType(fifo) == S_IFIFO, "the FIFO was replaced")
        // The reader ends when the scan closes the FIFO; a FIFO replaced by a file leaves it waiting.
        let deadline = Date().addingTimeInterval(10)
        while reader.isRunning && Date() < deadline { usleep(10_000) }
        #expect(!reader.isRunning, "the reader never got the report")
        #expect(try Self.rules(Data(contentsOf: received)).contains("JVM-OOM-JAVA-HEAP"))
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetGetsTheReport() throws {
        let (root, upload) = try Self.workspace()
        let target = root.appendingPathComponent("elsewhere/report.json")
        try CLI.write(["elsewhere/report.json": Array("old report, longer than nothing\n".utf8)], below: root)
        let link = root.appendingPathComponent("report.json").path
        #expect(symlink(target.path, link) == 0)

        let result = try CLI.sysscan(["scan", upload, "--format", "json", "-o", link])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.fileType(link) == S_IFLNK, "the link was replaced")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target.path)
        #expect(try Self.rules(Data(contentsOf: target)).contains("JVM-OOM-JAVA-HEAP"))
    }

    @Test(.enabled(if: canMakeDeviceNodes, "needs root, and a container that allows mknod"))
    func aNullDeviceStaysACharacterDevice() throws {
        let (root, upload) = try Self.workspace()
        let node = root.appendingPathComponent("null").path
        try CLI.shell("mknod null c 1 3", in: root)

        let result = try CLI.sysscan(["scan", upload, "-o", node])
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(node, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR, "the device node was replaced")
        #expect(info.st_rdev == Self.deviceNumber(major: 1, minor: 3))
    }

    @Test func outputDirWritesThroughALinkedReport() throws {
        let (root, upload) = try Self.workspace()
        let reports = root.appendingPathComponent("reports")
        let target = root.appendingPathComponent("elsewhere/latest.json")
        try CLI.write(["elsewhere/latest.json": [], "reports/report.txt": Array("old\n".utf8)], below: root)
        let link = reports.appendingPathComponent("report.json").path
        #expect(symlink(target.path, link) == 0)

        let result = try CLI.sysscan(["scan", upload, "--output-dir", reports.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.fileType(link) == S_IFLNK, "the link was replaced")
        #expect(try Self.rules(Data(contentsOf: target)).contains("JVM-OOM-JAVA-HEAP"))
        for name in ["report.txt", "report.md", "report.html"] {
            #expect(Self.fileType(reports.appendingPathComponent(name).path) == S_IFREG, "\(name)")
        }
        #expect(
            try String(contentsOf: reports.appendingPathComponent("report.txt"), encoding: .utf8).contains(
                "JVM-OOM-JAVA-HEAP"))
    }

    @Test func aRegularFileIsReplacedAndKeepsItsPermissions() throws {
        let (root, upload) = try Self.workspace()
        let file = root.appendingPathComponent("report.txt").path
        try CLI.write(["report.txt": Array("old\n".utf8)], below: root)
        #expect(chmod(file, 0o640) == 0)

        let result = try CLI.sysscan(["scan", upload, "-o", file])
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(file, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o7777 == 0o640)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("JVM-OOM-JAVA-HEAP"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["report.txt", "upload"])
    }

    @Test func aReportThatCannotBeWrittenNamesThePathAndTheReason() throws {
        let (root, upload) = try Self.workspace()
        let missing = root.appendingPathComponent("no/such/folder/report.txt").path
        let intoMissing = try CLI.sysscan(["scan", upload, "-o", missing])
        #expect(intoMissing.status == 3)
        #expect(intoMissing.stderr.contains("\(missing): No such file or directory"), "\(intoMissing.stderr)")
        let intoFolder = try CLI.sysscan(["scan", upload, "-o", root.path])
        #expect(intoFolder.status == 3)
        #expect(intoFolder.stderr.contains("\(root.path): Is a directory"), "\(intoFolder.stderr)")
        let underFile = try CLI.sysscan(["scan", upload, "--output-dir", upload + "/logs/app.log/reports"])
        #expect(underFile.status == 3)
        #expect(underFile.stderr.contains("app.log/reports: Not a directory"), "\(underFile.stderr)")
        for result in [intoMissing, intoFolder, underFile] {
            #expect(!result.stderr.contains("could not be completed"))
        }
    }
}
