import Foundation
import Testing

@testable import SysScanKit

/// Artifacts are matched on several threads and merged in reading order: the report must not depend on
/// the thread count or the block size, for folders and for archives read on a thread of their own.
@Suite struct ThreadCountTests {
    /// An upload with many artifacts of the same kinds and of very different sizes, so that matching
    /// threads finish them out of reading order: the sample node, plus rotated Tomcat, syslog and GC logs
    /// cut from its own logs (small ones, and large ones where the same lines repeat).
    static func busyUpload() throws -> URL {
        let root = try Fixtures.temporaryFolder().appendingPathComponent("busy-node")
        let sample = Fixtures.packageRoot.appendingPathComponent("Samples/appserver-node")
        try FileManager.default.copyItem(at: sample, to: root)
        var generator = SeededGenerator(seed: 0x5EED)
        let sources = [
            ("tomcat/logs/catalina.out", "tomcat/logs/catalina.2026-11-%02d.log"),
            ("var/log/messages", "var/log/messages.%d"),
            ("jvm/gc.log", "jvm/gc.log.%d"),
        ]
        for (source, pattern) in sources {
            let lines = try String(contentsOf: root.appendingPathComponent(source), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            for index in 1...8 {
                let start = Int.random(in: 0..<max(1, lines.count / 2), using: &generator)
                let length = Int.random(in: 1...max(1, lines.count - start), using: &generator)
                let slice = lines[start..<min(lines.count, start + length)].joined(separator: "\n") + "\n"
                let copies = index % 3 == 0 ? 400 : 1
                let text = String(repeating: slice, count: copies)
                let target = root.appendingPathComponent(String(format: pattern, index))
                try Data(text.utf8).write(to: target)
            }
        }
        return root
    }

    /// The report as JSON, without what differs from run to run (times, the upload's path).
    static func json(_ paths: [String], threads: Int, blockSize: Int = 64 * 1024) throws -> String {
        var options = ScanOptions()
        options.threads = threads
        options.blockSize = blockSize
        options.now = Date(timeIntervalSince1970: 1_795_000_000)
        options.contextLines = 2
        let knowledgeBase = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))
        var report = try Scanner(knowledgeBase: knowledgeBase, options: options).scan(paths)
        report.startedAt = Date(timeIntervalSince1970: 0)
        report.duration = 0
        return JSONReport.render(report)
    }

    static func archive(_ folder: URL, format: [String], name: String) throws -> URL {
        let target = folder.deletingLastPathComponent().appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["bsdtar"] + format + [
                "-cf", target.path, "-C", folder.deletingLastPathComponent().path,
                folder.lastPathComponent,
            ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "bsdtar could not make \(name)")
        return target
    }

    @Test func aFolderGivesTheSameReportWhateverTheThreadCount() throws {
        let upload = try Self.busyUpload()
        let single = try Self.json([upload.path], threads: 1)
        #expect(single.contains("\"findings\""))
        #expect(try Self.json([upload.path], threads: 2) == single)
        #expect(try Self.json([upload.path], threads: 5) == single)
        #expect(try Self.json([upload.path], threads: 3, blockSize: 4096) == single)
    }

    @Test(arguments: [["-z"], ["--format", "zip"], ["--zstd"]])
    func anArchiveGivesTheSameReportWhateverTheThreadCount(format: [String]) throws {
        let folder = try Self.busyUpload()
        let upload = try Self.archive(folder, format: format, name: "busy-node.archive")
        let single = try Self.json([upload.path], threads: 1)
        #expect(single.contains("\"findings\""))
        #expect(try Self.json([upload.path], threads: 2) == single)
        #expect(try Self.json([upload.path], threads: 4) == single)
    }

    @Test func artifactsInMemoryGiveTheSameReportWhateverTheThreadCount() throws {
        let knowledgeBase = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))
        let folder = try Self.busyUpload()
        var artifacts: [(path: String, content: [UInt8])] = []
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            let full = folder.appendingPathComponent(path).path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            artifacts.append((path, Array(try Data(contentsOf: URL(fileURLWithPath: full)))))
        }
        artifacts.sort { $0.path < $1.path }
        func render(threads: Int) -> String {
            var options = ScanOptions()
            options.threads = threads
            options.now = Date(timeIntervalSince1970: 1_795_000_000)
            var report = Scanner(knowledgeBase: knowledgeBase, options: options).scan(
                artifacts: artifacts, blockSize: 8192)
            report.startedAt = Date(timeIntervalSince1970: 0)
            report.duration = 0
            return JSONReport.render(report)
        }
        let single = render(threads: 1)
        #expect(render(threads: 4) == single)
    }
}

/// A small deterministic random number generator (SplitMix64), so generated uploads are the same each run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
