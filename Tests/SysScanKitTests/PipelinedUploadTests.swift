import Foundation
import Testing

@testable import SysScanKit

/// Reading an archive on a thread of its own hands the visitor exactly what reading it on one thread does.
struct PipelinedUploadTests {
    /// Records every entry (with its bytes), warning and skip, in order.
    final class Recorder: UploadVisitor {
        var events: [String] = []
        func visit(_ name: ArtifactName, stream: EntryStream) {
            let head = stream.peek(16)
            var bytes: [UInt8] = []
            while let chunk = stream.next() { bytes.append(contentsOf: chunk) }
            events.append(
                "entry \(name.display) \(name.nesting) \(bytes.count) \(head.count) \(bytes.reduce(0) { $0 &* 31 &+ Int($1) })"
            )
        }
        func warn(_ warning: ScanWarning) { events.append("warn \(warning.code.rawValue) \(warning.message)") }
        func skippedWithWarning(_ name: ArtifactName) { events.append("skipped \(name.display)") }
    }

    static func archive(_ command: String) throws -> String {
        let folder = try Fixtures.temporaryFolder()
        let files: [String: String] = [
            "logs/catalina.out": String(
                repeating: "2026-11-20 10:00:00,000 SEVERE java.lang.OutOfMemoryError: Java heap space\n", count: 30_000
            ),
            "logs/app.log": "one\ntwo\n", "conf/server.xml": "<Server/>\n",
            "readme.bin": String(repeating: "\u{1}", count: 3000),
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent("up/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("upload") })
        return folder.appendingPathComponent(name).path
    }

    @Test(arguments: [
        "cd up && bsdtar --format zip -cf ../upload.zip . && cd .. && head -c $(( $(stat -c %s upload.zip) / 2 )) upload.zip > upload-cut.zip && rm upload.zip",
        "bsdtar -cJf upload.txz -C up .", "cd up && bsdtar --format zip -cf ../upload.zip .",
    ])
    func theVisitorSeesTheSameEventsInTheSameOrder(command: String) throws {
        let path = try Self.archive(command)
        #expect(PipelinedUpload.isWorthPipelining(path))
        let reader = UploadReader()
        let direct = Recorder()
        let directResult = Result { () throws(ScanError) in try reader.read(path, visitor: direct) }
        let piped = Recorder()
        let pipedResult = Result { () throws(ScanError) in
            try PipelinedUpload.read(path, reader: reader, visitor: piped) { _ in true }
        }
        #expect(piped.events == direct.events)
        #expect(direct.events.count >= 3, "\(direct.events)")
        if path.hasSuffix("-cut.zip") { #expect(direct.events.contains { $0.hasPrefix("warn") }, "\(direct.events)") }
        #expect((try? pipedResult.get())?.format == (try? directResult.get())?.format)
    }
}
