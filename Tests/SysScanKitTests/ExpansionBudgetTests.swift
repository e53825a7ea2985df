import Foundation
import Testing

@testable import SysScanKit

/// Hostile uploads within budgets: decompression bombs, many entries, an upload that takes too long.
///
/// Each hostile input is generated here (never committed) and read under small budgets, so that the
/// tests take seconds.
struct ExpansionBudgetTests {
    static let oomLine = "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\n"

    /// Runs a shell script in `folder`.
    static func shell(_ script: String, in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script)")
    }

    /// A 42.zip-style bomb: a zip of `width` zips of `width` zips of a log of `megabytes` MiB of one
    /// repeated line, and an OOM log beside them (read after the bomb).
    static func nestedBomb(width: Int, megabytes: Int) throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        let script = """
            import io, zipfile
            def z(entries):
                out = io.BytesIO()
                with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as f:
                    for name, data in entries: f.writestr(name, data)
                return out.getvalue()
            inner = z([('logs/app.log', b'2026-11-20 10:00:00,000 INFO fine\\n' * ((\(megabytes) << 20) // 34))])
            mid = z([('node%d.zip' % i, inner) for i in range(\(width))])
            oom = b'\(Self.oomLine.dropLast())\\n' * 2
            open('bomb.zip', 'wb').write(z([('site%d.zip' % i, mid) for i in range(\(width))] + [('logs/app.log', oom)]))
            """
        try script.write(to: folder.appendingPathComponent("bomb.py"), atomically: true, encoding: .utf8)
        try shell("python3 bomb.py", in: folder)
        return folder.appendingPathComponent("bomb.zip")
    }

    static func scanner(_ configure: (inout ScanOptions) -> Void) throws -> SysScanKit.Scanner {
        var options = ScanOptions()
        options.threads = 1
        configure(&options)
        return SysScanKit.Scanner(knowledgeBase: try Fixtures.compiled(), options: options)
    }

    @Test(arguments: [1, 2])
    func aNestedZipBombStopsAtTheUploadBudgetWithAWarningNamingTheEntry(threads: Int) throws {
        let bomb = try Self.nestedBomb(width: 8, megabytes: 4)
        let started = Date()
        let report = try Self.scanner {
            $0.threads = threads
            $0.budget.ratioFloor = 16 << 20
            $0.budget.maxRatio = 100
        }
        .scan([bomb.path])
        #expect(Date().timeIntervalSince(started) < 20)
        let stops = report.warnings.filter { $0.code == .expansionBudget }
        #expect(stops.count == 1, "\(report.warnings)")
        #expect(stops.first?.artifact?.hasPrefix("bomb.zip!/site0.zip!/node") == true, "\(stops)")
        #expect(stops.first?.message.contains("the upload expanded past 16 MiB") == true, "\(stops)")
    }

    @Test func anEntryOverItsBudgetIsCutAndTheEntriesAfterItAreStillScanned() throws {
        // 10 GiB of one line in one entry stands in for a bomb; 64 MiB against an 8 MiB budget keeps it fast.
        let folder = try Fixtures.temporaryFolder()
        try Self.shell(
            """
            mkdir -p node/logs && yes '2026-11-20 10:00:00,000 INFO fine' | head -c 67108864 > node/logs/app.log && printf '\(Self.oomLine)\(Self.oomLine)' > node/logs/z-app.log
            bsdtar -czf upload.tgz -C node logs/app.log logs/z-app.log && rm -r node
            """, in: folder)
        let report = try Self.scanner { $0.budget.maxEntryBytes = 8 << 20 }
            .scan([folder.appendingPathComponent("upload.tgz").path])
        let stops = report.warnings.filter { $0.code == .expansionBudget }
        #expect(stops.map(\.artifact) == ["upload.tgz!/logs/app.log"], "\(report.warnings)")
        #expect(stops.first?.message.contains("expanded past 8 MiB") == true)
        #expect(report.findings.map(\.rule) == ["OOM-HEAP"])
    }

    @Test func anUploadOfMoreEntriesThanItsBudgetIsReadUpToIt() throws {
        let folder = try Fixtures.temporaryFolder()
        try Self.shell(
            "mkdir -p node/logs && for i in $(seq 1 30); do : > node/logs/f$i.txt; done && bsdtar -cf upload.tar -C node logs",
            in: folder)
        let report = try Self.scanner { $0.budget.maxEntries = 10 }.scan([
            folder.appendingPathComponent("upload.tar").path
        ])
        let stops = report.warnings.filter { $0.code == .entryBudget }
        #expect(stops.count == 1, "\(report.warnings)")
        #expect(stops.first?.message.contains("more than 10 entries") == true)
    }

    @Test func aScanPastItsTimeIsStoppedWithAnError() throws {
        let bomb = try Self.nestedBomb(width: 2, megabytes: 1)
        #expect(throws: ScanError.timedOut(path: bomb.path, seconds: 0)) {
            try Self.scanner { $0.maxSeconds = 0 }.scan([bomb.path])
        }
    }

    @Test func theFilesKeptForFileConditionsDoNotGrowWithTheUpload() throws {
        let rule = """
            id: MANY-JARS
            title: Jars
            category: stability
            severity: low
            applies_to: [upload]
            when:
              file:
                glob: '*.jar'
            message: "{{count}} jars"
            recommendation: None.
            references:
              - article: KB-0
            examples:
              triggering:
                - artifact: lib/a.jar
                  content: x
              non_triggering:
                - artifact: lib/a.txt
                  content: x
            """
        let kb = try RuleCompiler.compile(
            try KnowledgeBaseLoader().load(directory: try Fixtures.knowledgeBase(["MANY-JARS": rule]).path))
        var options = ScanOptions()
        options.maxEvidence = 3
        let session = ScanSession(knowledgeBase: kb, options: options)
        for index in 0..<5000 {
            let path = index % 2 == 0 ? "lib/\(index).jar" : "lib/\(index).txt"
            session.visit(ArtifactName(display: path, entry: path, nesting: 0), stream: EntryStream(bytes: []))
        }
        session.finish()
        #expect(session.fileCount == 5000)
        let kept = session.fileMatches.values.map { ($0.count, $0.first.count) }
        #expect(kept.count == 1 && kept[0] == (2500, 3), "\(kept)")
    }

    @Test(arguments: [("4G", Int64(4) << 30), ("100MiB", 100 << 20), ("512", 512), ("1kb", 1024), ("x", nil)])
    func sizesAreReadWithBinarySuffixes(text: String, bytes: Int64?) {
        #expect(ExpansionBudget.parseSize(text) == bytes)
    }
}
