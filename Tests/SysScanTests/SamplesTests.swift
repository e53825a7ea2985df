import Foundation
import Testing

/// The bundled samples through the real binary, as folders and packed in every archive form.
@Suite(.serialized)
struct SamplesTests {
    /// The appserver sample's findings, as the folder gives them.
    static func folderFindings() throws -> [String] {
        let result = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "json", "--max-evidence", "1000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return CLI.findingSummary(try result.json())
    }

    @Test func theAppserverSampleTriggersFindingsInEveryCategory() throws {
        let result = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"])
        let report = try result.json()
        let findings = try #require(report["findings"] as? [[String: Any]])
        let categories = Set(findings.compactMap { $0["category"] as? String })
        #expect(categories == ["security", "stability", "performance"])
        #expect(CLI.warningCodes(report).isEmpty)
        let system = try #require(report["system"] as? [String: Any])
        #expect(system["id"] as? String == "appnode-01")
    }

    @Test func theAppserverSampleTriggersExactlyWhatTheREADMESays() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "- `Samples/appserver-node/`:"))
        let end = try #require(
            readme.range(of: "- `Samples/healthy-node/`:", range: start.upperBound..<readme.endIndex))
        let section = readme[start.upperBound..<end.lowerBound]
        let listed = Set(section.matches(of: /`([A-Z0-9]+(?:-[A-Z0-9]+)+)`/).map { String($0.output.1) })
        let report = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"]).json()
        let found = Set((report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        #expect(
            found == listed,
            "only found: \(found.subtracting(listed).sorted()), only listed: \(listed.subtracting(found).sorted())")
    }

    @Test func theHealthySampleTriggersNothing() throws {
        let result = try CLI.sysscan(["scan", CLI.sample("healthy-node").path, "--format", "json", "--fail-on", "info"])
        #expect(result.status == 0, "\(result.stdout)")
        let report = try result.json()
        #expect(CLI.findingSummary(report) == [])
        #expect(CLI.warningCodes(report).isEmpty)
    }

    /// How a sample is packed: a shell command run in a temporary folder holding `sample/`.
    static let forms: [(name: String, upload: String, command: String)] = [
        ("tar.gz", "upload.tgz", "bsdtar -czf upload.tgz -C sample ."),
        ("tar.bz2", "upload.tar.bz2", "bsdtar -cjf upload.tar.bz2 -C sample ."),
        ("tar.xz", "upload.txz", "bsdtar -cJf upload.txz -C sample ."),
        ("zip", "upload.zip", "cd sample && bsdtar --format zip -cf ../upload.zip ."),
        ("7z", "upload.7z", "cd sample && bsdtar --format 7zip -cf ../upload.7z ."),
        ("cpio", "upload.cpio", "cd sample && find . -type f | sort | bsdtar --format newc -cf ../upload.cpio -T -"),
        ("misnamed tar.gz", "upload.zip.txt", "bsdtar -czf upload.zip.txt -C sample ."),
        (
            "zip of log zips inside a tar.gz", "nested.tgz",
            """
            cd sample/tomcat/logs && bsdtar --format zip -cf ../logs.zip . && cd .. && rm -r logs && cd ../.. && \
            bsdtar -czf nested.tgz -C sample .
            """
        ),
    ]

    @Test(arguments: forms.map(\.name))
    func everyPackedFormGivesTheFolderFindings(form: String) throws {
        let (_, upload, command) = try #require(Self.forms.first { $0.name == form })
        let expected = try Self.folderFindings()
        #expect(!expected.isEmpty)
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        try CLI.shell("cp -R '\(CLI.sample("appserver-node").path)' sample", in: work)
        try CLI.shell(command, in: work)
        let path = work.appendingPathComponent(upload).path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try CLI.sysscan(["scan", path, "--format", "json", "--max-evidence", "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json()
        let actual = CLI.findingSummary(report).map { $0.replacingOccurrences(of: "logs.zip/", with: "logs/") }
        #expect(actual == expected)
        #expect(CLI.warningCodes(report).isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the upload was modified")
        if form.hasPrefix("zip of log zips") {
            let evidence = (report["findings"] as? [[String: Any]] ?? []).flatMap {
                $0["evidence"] as? [[String: Any]] ?? []
            }
            #expect(evidence.contains { ($0["artifact"] as? String ?? "").hasPrefix("nested.tgz!/tomcat/logs.zip!/") })
        }
    }
}
