import CLibXML2
import Foundation
import Testing

/// The report formats: golden text and Markdown for the samples, a well-formed, escaped HTML that carries
/// every finding, JSON that validates against its schema.
@Suite(.serialized)
struct ReportTests {
    static let golden = CLI.packageRoot.appendingPathComponent("Tests/SysScanTests/Golden")
    static let schema = CLI.packageRoot.appendingPathComponent("Sources/SysScanKit/Reporting/report.schema.json")

    @Test(arguments: ["appserver-node", "healthy-node"])
    func textAndMarkdownMatchTheGoldenFiles(sample: String) throws {
        for (format, suffix) in [("text", "txt"), ("md", "md")] {
            let result = try CLI.sysscan(["scan", CLI.sample(sample).path, "--format", format])
            let expected = try String(
                contentsOf: Self.golden.appendingPathComponent("\(sample).\(suffix)"), encoding: .utf8)
            #expect(result.stdout == expected, "\(sample) \(format) differs from Golden/\(sample).\(suffix)")
        }
    }

    /// Collects libxml2's error messages while a document is parsed.
    final class ErrorCollector {
        var messages: [String] = []
    }

    /// Parses HTML with libxml2's HTML parser; returns its errors (but for the HTML5 element names that
    /// libxml2 2.9's HTML 4 vocabulary does not know) and, per XPath, the matched node count. The same
    /// text must also parse as strict XML (well-formed: every element closed, every entity escaped).
    static func parseHTML(_ html: String, count xpaths: [String]) -> (errors: [String], counts: [Int]) {
        let collector = ErrorCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlSetStructuredErrorFunc(context) { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue()
            collector.messages.append(
                "line \(error.pointee.line): "
                    + String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let bytes = Array(html.utf8)
        let strict = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), "report.xhtml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
                }
            }
        }
        if let strict { xmlFreeDoc(strict) } else { collector.messages.append("not well-formed") }
        let html5 = #/Tag (header|main|section|article|footer|svg|circle|line|text|title) invalid/#
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    htmlReadMemory($0, Int32(buffer.count), "report.html", "UTF-8", options)
                }
            }
        }
        let errors = collector.messages.filter { $0.firstMatch(of: html5) == nil }
        guard let document = parsed else { return (errors + ["no document"], []) }
        defer { xmlFreeDoc(document) }
        guard let context = xmlXPathNewContext(document) else { return (errors, []) }
        defer { xmlXPathFreeContext(context) }
        let counts = xpaths.map { xpath -> Int in
            let expression: [xmlChar] = Array(xpath.utf8) + [0]
            guard let object = xmlXPathEvalExpression(expression, context) else { return -1 }
            defer { xmlXPathFreeObject(object) }
            return Int(object.pointee.nodesetval?.pointee.nodeNr ?? 0)
        }
        return (errors, counts)
    }

    @Test func theHTMLIsWellFormedAndCarriesEveryFindingOfTheJSON() throws {
        let folder = try CLI.temporaryFolder()
        let result = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--output-dir", folder.path])
        #expect(result.status == 0)
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == [
                "report.txt", "report.json", "report.md", "report.html",
            ])
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json")))
                as? [String: Any])
        let rules = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.count == 32)
        let xpaths =
            ["//article[contains(@class,'finding')]", "//svg//circle", "//script", "//link", "//img"]
            + rules.map { "//article[@id='\($0)']" }
        let (errors, counts) = Self.parseHTML(html, count: xpaths)
        #expect(errors.isEmpty, "\(errors)")
        #expect(counts[0] == rules.count)
        #expect(counts[1] > 0, "the timeline shows the timestamped evidence")
        #expect(
            counts[2] == 0 && counts[3] == 0 && counts[4] == 0, "self-contained: no script, stylesheet link or image")
        #expect(counts.dropFirst(5).allSatisfy { $0 == 1 }, "every finding of the JSON has its article")
        #expect(html.contains("Suggested case severity</dt><dd>0 · Gold: response &lt; 1 h (0, 24x5)</dd>"))
        #expect(html.contains("class=\"ctx\""), "context lines are marked as such")
    }

    @Test func aHostileLogLineIsEscapedEverywhere() throws {
        let root = try CLI.temporaryFolder()
        let hostile =
            "2026-11-20 10:00:00,000 ERROR <script>alert('x')</script> | ** `rm -rf` ``` java.lang.OutOfMemoryError: Java heap space\n"
        try CLI.write(["up/logs/app.log": Array(hostile.utf8)], below: root)
        let html = try CLI.sysscan(["scan", root.appendingPathComponent("up").path, "--format", "html"]).stdout
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(Self.parseHTML(html, count: ["//script"]).counts == [0])
        let markdown = try CLI.sysscan(["scan", root.appendingPathComponent("up").path, "--format", "md"]).stdout
        let fences = markdown.components(separatedBy: "```").count - 1
        #expect(fences % 2 == 0, "a hostile line cannot open or close a code block")
    }

    @Test func markdownSaysWhenEvidenceIsTrimmed() throws {
        let markdown = try CLI.sysscan([
            "scan", CLI.sample("appserver-node").path, "--format", "md", "--max-evidence", "1",
        ]).stdout
        #expect(markdown.contains("_Evidence trimmed: 1 places shown of "))
    }

    static let pythonAvailable: Bool = {
        (try? CLI.run("/usr/bin/env", ["python3", "-c", "import jsonschema"]).status) == 0
    }()

    @Test(.enabled(if: pythonAvailable, "skipped: python3 with jsonschema is not installed"))
    func everyJSONReportTheTestsMakeValidatesAgainstTheSchema() throws {
        let folder = try CLI.temporaryFolder()
        var reports: [String] = []
        reports.append(try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json"]).stdout)
        reports.append(
            try CLI.sysscan(["scan", CLI.sample("healthy-node").path, "--format", "json", "--case", "C1234567"]).stdout)
        try CLI.shell(
            "bsdtar -czf up.tgz -C '\(CLI.sample("appserver-node").path)' . && head -c 60000 up.tgz > cut.tgz",
            in: folder)
        reports.append(
            try CLI.sysscan(["scan", folder.appendingPathComponent("cut.tgz").path, "--format", "json"]).stdout)
        let tuning = folder.appendingPathComponent("tuning.yaml")
        try
            "tuning:\n  - { rule: TOMCAT-AJP-NO-SECRET, action: suppress, reason: test }\n  - { rule: JVM-OOM-JAVA-HEAP, action: severity, severity: low, reason: test }\n"
            .write(to: tuning, atomically: true, encoding: .utf8)
        reports.append(
            try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--format", "json", "--tuning", tuning.path])
                .stdout)
        reports.append(try CLI.sysscan(["scan", NothingCheckedTests.wrongFolder().path, "--format", "json"]).stdout)
        reports.append(try CLI.sysscan(["scan", NothingCheckedTests.emptyFolder().path, "--format", "json"]).stdout)
        for (index, report) in reports.enumerated() {
            let file = folder.appendingPathComponent("report-\(index).json")
            try report.write(to: file, atomically: true, encoding: .utf8)
            let script = """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1]))
                jsonschema.Draft202012Validator.check_schema(schema)
                errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
                for error in errors[:5]: print('/'.join(map(str, error.path)), error.message[:200])
                sys.exit(1 if errors else 0)
                """
            let result = try CLI.run("/usr/bin/env", ["python3", "-c", script, Self.schema.path, file.path])
            #expect(result.status == 0, "report \(index): \(result.stdout)\(result.stderr)")
        }
    }

    @Test func profileShowsTimePerArtifactAndPerRule() throws {
        let result = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--profile", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("Profile: artifacts (slowest first)"))
        #expect(result.stderr.contains("jvm-gc-log  appserver-node/jvm/gc.log"))
        let rules = result.stderr.components(separatedBy: "Profile: rules").last ?? ""
        let young = try #require(rules.split(separator: "\n").first { $0.hasSuffix("JVM-GC-LONG-YOUNG-PAUSE") })
        let confirmed = Int(young.split(separator: " ").dropFirst(2).first ?? "") ?? 0
        #expect(confirmed > 100, "the GC-pause rule confirms most GC lines: \(young)")
        #expect(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) is [String: Any], "stdout keeps the report"
        )
    }
}
