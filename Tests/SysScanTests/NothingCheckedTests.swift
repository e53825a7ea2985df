import Foundation
import Testing

/// An upload of which nothing could be checked (no file of a kind the knowledge base knows) is never a
/// clean result: every format says so at the top, the JSON says it in fields scripts test, and the scan
/// exits with 4 whatever `--fail-on`.
@Suite(.serialized)
struct NothingCheckedTests {
    static let oomLine =
        "2026-11-20 10:15:30,123 SEVERE [http-nio-8080-exec-3] java.lang.OutOfMemoryError: Java heap space\n"

    /// A folder `wrong/` holding only `catalina_out.txt` (a log saved under a name of no known kind).
    static func wrongFolder() throws -> URL {
        let root = try CLI.temporaryFolder()
        try CLI.write(["wrong/catalina_out.txt": Array(oomLine.utf8)], below: root)
        return root.appendingPathComponent("wrong")
    }

    /// An empty folder `empty/`.
    static func emptyFolder() throws -> URL {
        let folder = try CLI.temporaryFolder().appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aFolderOfNoKnownFileExitsWith4WhateverFailOn() throws {
        let folder = try Self.wrongFolder()
        for extra in [[], ["--fail-on", "info"], ["--fail-on", "none"]] {
            let result = try CLI.sysscan(["scan", folder.path] + extra)
            #expect(result.status == 4, "\(extra): \(result.stderr)")
        }
        let empty = try Self.emptyFolder()
        #expect(try CLI.sysscan(["scan", empty.path]).status == 4)
        #expect(try CLI.sysscan(["scan", empty.path, "--fail-on", "info"]).status == 4)
    }

    @Test func theTextReportSaysAtTheTopThatNothingCouldBeCheckedAndNamesTheEntries() throws {
        let result = try CLI.sysscan(["scan", Self.wrongFolder().path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = lines.prefix(6).joined(separator: "\n")
        #expect(
            top.contains("NOTHING COULD BE CHECKED: its one entry is of no kind the knowledge base knows."), "\(top)")
        #expect(top.contains("1 entry seen, none recognised: catalina_out.txt"), "\(top)")
        #expect(!result.stdout.contains("No known issue found."))
        let empty = try CLI.sysscan(["scan", Self.emptyFolder().path]).stdout
        let emptyTop = empty.split(separator: "\n").prefix(5).joined(separator: "\n")
        #expect(emptyTop.contains("NOTHING COULD BE CHECKED: the folder holds no file."), "\(emptyTop)")
        #expect(emptyTop.contains("\n  0 entries seen\n"))
        #expect(!empty.contains("No known issue found."))
    }

    @Test func theJSONReportHasTheOutcomeAndWhyNothingWasChecked() throws {
        let report = try CLI.sysscan(["scan", Self.wrongFolder().path, "--format", "json"]).json()
        #expect(report["outcome"] as? String == "nothing-checked")
        let detail = try #require(report["nothing_checked"] as? [String: Any])
        #expect(detail["entries_seen"] as? Int == 1)
        #expect((detail["unrecognised"] as? [String])?.contains("catalina_out.txt") == true)
        #expect((detail["reason"] as? String)?.isEmpty == false)
        let parts = try #require((report["input"] as? [String: Any])?["parts"] as? [[String: Any]])
        #expect(parts.first?["bytes"] as? Int == Self.oomLine.utf8.count, "a folder's size is the sum of its files")
        #expect((report["summary"] as? [String: Any])?["bytes_read"] as? Int == 0)

        let empty = try CLI.sysscan(["scan", Self.emptyFolder().path, "--format", "json"]).json()
        #expect(empty["outcome"] as? String == "nothing-checked")
        let emptyDetail = try #require(empty["nothing_checked"] as? [String: Any])
        #expect(emptyDetail["entries_seen"] as? Int == 0)
        #expect(emptyDetail["reason"] as? String == "the folder holds no file")

        let clean = try CLI.sysscan(["scan", CLI.sample("healthy-node").path, "--format", "json"]).json()
        #expect(clean["outcome"] as? String == "no-findings")
        #expect(clean["nothing_checked"] is NSNull)
        let findings = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"]).json()
        #expect(findings["outcome"] as? String == "findings")
    }

    @Test func markdownAndHTMLCarryTheNoticeBeforeTheFindings() throws {
        let output = try CLI.temporaryFolder()
        let result = try CLI.sysscan([
            "scan", Self.wrongFolder().path, "--output-dir", output.path, "--fail-on", "info",
        ])
        #expect(result.status == 4)
        let markdown = try String(contentsOf: output.appendingPathComponent("report.md"), encoding: .utf8)
        let notice = try #require(
            markdown.range(of: "> **Nothing could be checked:** its one entry is of no kind the knowledge base knows."))
        let warnings = try #require(markdown.range(of: "## Warnings"))
        let count = try #require(markdown.range(of: "**0 findings**"))
        #expect(notice.lowerBound < count.lowerBound && notice.lowerBound < warnings.lowerBound)
        #expect(markdown.contains("`catalina_out.txt`"))

        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        let section = try #require(html.range(of: "<section id=\"nothing-checked\""))
        let header = try #require(html.range(of: "</header>"))
        let summary = try #require(html.range(of: "<section id=\"summary\">"))
        let findings = try #require(html.range(of: "<section id=\"findings\">"))
        let htmlWarnings = try #require(html.range(of: "<section id=\"warnings\">"))
        #expect(header.upperBound <= section.lowerBound)
        #expect(section.lowerBound < summary.lowerBound && section.lowerBound < findings.lowerBound)
        #expect(section.lowerBound < htmlWarnings.lowerBound)
        #expect(html.contains("<code>catalina_out.txt</code>"))
        #expect(!html.contains("No known issue found."))
        #expect(!html.contains("0 bytes"), "the upload's size is that of its files")
        #expect(html.contains("(folder, \(Self.oomLine.utf8.count) bytes)"))
        #expect(ReportTests.parseHTML(html, count: []).errors.isEmpty)
    }

    @Test func aReportWithArtifactsHasNoNotice() throws {
        let result = try CLI.sysscan(["scan", CLI.sample("healthy-node").path, "--format", "html"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("id=\"nothing-checked\""))
        #expect(result.stdout.contains("No known issue found."))
    }

    @Test func aFindingFromTheFileListAloneIsSomethingChecked() throws {
        // An upload of jars: no file of a known kind, but the file-list rules look at the jars' names.
        let root = try CLI.temporaryFolder()
        try CLI.write(["jars/WEB-INF/lib/log4j-core-2.14.1.jar": Array("PK\u{3}\u{4}".utf8)], below: root)
        let result = try CLI.sysscan(["scan", root.appendingPathComponent("jars").path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json()
        #expect(report["outcome"] as? String == "findings")
        #expect(report["nothing_checked"] is NSNull)
        #expect(CLI.findingSummary(report).contains { $0.hasPrefix("LOG4J2-LOG4SHELL-JAR") })
    }
}
