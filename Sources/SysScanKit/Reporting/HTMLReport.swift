import Foundation

/// The HTML form of a `ScanReport`: one self-contained file (inline CSS and SVG, no script, no
/// network), readable on a laptop and printable.
///
/// When nothing of the upload could be checked, a notice right after the header says so and why. It is
/// also well-formed XML (void elements closed), so strict parsers read it too. Everything taken from
/// the upload is escaped: an upload is untrusted input, and a log line with `<script>` must show as
/// text.
public enum HTMLReport {
    /// Renders `report`.
    ///
    /// - Parameter report: The report.
    /// - Returns: The HTML document.
    public static func render(_ report: ScanReport) -> String {
        let meta = report.metadata
        let name = report.inputs.map(\.name).joined(separator: " + ")
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>SysScan report: \(escape(name))</title>
            <style>\(css)</style>
            </head>
            <body>
            <header>
            <h1>SysScan report <span class="upload">\(escape(name))</span></h1>
            <dl class="meta">

            """
        var rows: [(String, String)] = [
            ("System", meta.system ?? "unknown"),
            ("Product", [meta.product, meta.version].compactMap { $0 }.joined(separator: " ")),
            ("Environment", meta.environment ?? ""), ("Case", meta.supportCase ?? "none"),
            ("Upload", report.inputs.map { "\($0.name) (\($0.format), \($0.bytes) bytes)" }.joined(separator: "; ")),
            ("Knowledge base", "\(report.knowledgeBaseVersion) (\(report.ruleCount) rules)"),
            ("Scanned", ISO8601DateFormatter().string(from: report.startedAt)),
        ]
        for fact in report.facts ?? [] { rows.append((fact.name, "\(fact.value) (\(fact.place))")) }
        if let severity = report.suggestedCaseSeverity {
            rows.append(("Suggested case severity", "\(severity)" + (report.responseTarget.map { " · \($0)" } ?? "")))
        }
        for (key, value) in rows where !value.isEmpty {
            out += "<dt>\(escape(key))</dt><dd>\(escape(value))</dd>\n"
        }
        out += "</dl>\n</header>\n<main>\n"
        let notice = NothingCheckedNotice(report)
        if let notice {
            out += "<section id=\"nothing-checked\" class=\"nothing-checked\">\n<h2>Nothing could be checked</h2>\n"
            out += "<p>\(escape(notice.reasonSentence)) \(escape(NothingCheckedNotice.consequence))</p>\n"
            out += "<p>\(notice.entriesLine { "<code>\(escape($0))</code>" }).</p>\n</section>\n"
        }
        out += summary(report)
        out += timeline(report)
        out += "<section id=\"findings\">\n<h2>Findings</h2>\n"
        if notice != nil {
            out += "<p class=\"none\">No rule could be checked (see above), so no finding means nothing here.</p>\n"
        } else if report.findings.isEmpty {
            out += "<p class=\"none\">No known issue found.</p>\n"
        }
        for finding in report.findings { out += render(finding) }
        out += "</section>\n"
        if !report.suppressed.isEmpty {
            out += "<section id=\"suppressed\">\n<h2>Suppressed by local tuning</h2>\n<ul>\n"
            for finding in report.suppressed {
                out +=
                    "<li><code>\(escape(finding.rule))</code> \(escape(finding.title)): \(escape(finding.tuningReason ?? ""))</li>\n"
            }
            out += "</ul>\n</section>\n"
        }
        out += "<section id=\"not-evaluated\">\n<h2>Rules not evaluated</h2>\n"
        if report.notEvaluated.isEmpty {
            out += "<p>Every rule found the artifacts it reads.</p>\n"
        } else {
            out +=
                "<p>\(report.notEvaluated.count) rules could not be evaluated: the upload holds none of the artifacts they read.</p>\n<ul class=\"compact\">\n"
            for rule in report.notEvaluated {
                out +=
                    "<li><code>\(escape(rule.rule))</code> needs \(escape(rule.missingKinds.joined(separator: ", ")))</li>\n"
            }
            out += "</ul>\n"
        }
        out += "</section>\n<section id=\"warnings\">\n<h2>Warnings</h2>\n"
        if report.warnings.isEmpty {
            out += "<p>No entry was skipped or damaged.</p>\n"
        } else {
            out +=
                "<ul>\n"
                + report.warnings.map { "<li><code>\($0.code.rawValue)</code> \(escape($0.message))</li>\n" }.joined()
                + "</ul>\n"
        }
        out +=
            "</section>\n</main>\n<footer>\(escape(TextReport(colour: false).summaryLine(report))) · sysscan \(SysScanVersion.current)</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    private static func summary(_ report: ScanReport) -> String {
        var out = "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th></th>"
        out +=
            Severity.allCases.map { "<th class=\"sev-\($0.rawValue)\">\($0.rawValue)</th>" }.joined()
            + "<th>total</th></tr></thead>\n<tbody>\n"
        for category in [Category.security, .stability, .performance] {
            let group = report.findings.filter { $0.category == category }
            out += "<tr><th>\(category.rawValue)</th>"
            for severity in Severity.allCases {
                let count = group.filter { $0.severity == severity }.count
                out += "<td class=\"\(count > 0 ? "sev-\(severity.rawValue)" : "zero")\">\(count)</td>"
            }
            out += "<td>\(group.count)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// An SVG timeline: one row per category, a mark per cited line that carries a timestamp.
    private static func timeline(_ report: ScanReport) -> String {
        let parser = ISO8601Parser()
        var events: [(Date, Category, Severity, String)] = []
        for finding in report.findings {
            for evidence in finding.evidence {
                if let text = evidence.timestamp, let date = parser.date(text) {
                    events.append((date, finding.category, finding.severity, finding.rule))
                }
            }
        }
        var out = "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        guard let first = events.map(\.0).min(), let last = events.map(\.0).max() else {
            return out + "<p>No cited line carries a timestamp.</p>\n</section>\n"
        }
        let width = 900.0, left = 110.0, right = 20.0, rowHeight = 28.0
        let span = max(last.timeIntervalSince(first), 1)
        let categories = [Category.security, .stability, .performance]
        let height = Double(categories.count) * rowHeight + 40
        out +=
            "<svg class=\"timeline\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"When the cited events happened\">\n"
        for (row, category) in categories.enumerated() {
            let y = 20 + Double(row) * rowHeight
            out += "<text x=\"4\" y=\"\(y + 4)\" class=\"axis\">\(category.rawValue)</text>"
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" class=\"row\"/>\n"
        }
        for (date, category, severity, rule) in events {
            let x = left + (width - left - right) * date.timeIntervalSince(first) / span
            let row = categories.firstIndex(of: category) ?? 0
            let y = 20 + Double(row) * rowHeight
            out +=
                "<circle cx=\(quoted(x)) cy=\(quoted(y)) r=\"5\" class=\"sev-\(severity.rawValue)\"><title>\(escape(rule)) \(escape(ISO8601DateFormatter().string(from: date)))</title></circle>\n"
        }
        let axisY = 20 + Double(categories.count) * rowHeight - 6
        let formatter = ISO8601DateFormatter()
        out += "<text x=\"\(left)\" y=\"\(axisY)\" class=\"axis\">\(escape(formatter.string(from: first)))</text>"
        out +=
            "<text x=\"\(width - right)\" y=\"\(axisY)\" class=\"axis end\">\(escape(formatter.string(from: last)))</text>\n"
        return out + "</svg>\n</section>\n"
    }

    /// A mark after the rule id of an experimental or deprecated rule's finding.
    private static func statusMark(_ finding: Finding) -> String {
        guard let status = finding.status, status != .stable else { return "" }
        let meaning =
            status == .experimental
            ? "a new rule: check the finding; it does not drive the suggested case severity"
            : "a deprecated rule, kept for history"
        return " <span class=\"status\" title=\"\(meaning)\">\(status.rawValue)</span>"
    }

    private static func render(_ finding: Finding) -> String {
        var out = "<article class=\"finding sev-\(finding.severity.rawValue)\" id=\"\(escape(finding.rule))\">\n"
        out += "<h3><span class=\"badge sev-\(finding.severity.rawValue)\">\(finding.severity.rawValue)</span> "
        out +=
            "<span class=\"category\">\(finding.category.rawValue)</span> <code>\(escape(finding.rule))</code>\(statusMark(finding)) \(escape(finding.title))</h3>\n"
        if let original = finding.originalSeverity {
            out +=
                "<p class=\"tuned\">Severity \(original.rawValue) in the knowledge base, changed by local tuning: \(escape(finding.tuningReason ?? ""))</p>\n"
        }
        out += "<p class=\"message\">\(escape(finding.message))</p>\n"
        if let note = finding.unverifiedNote { out += "<p class=\"unverified\">\(escape(note))</p>\n" }
        if let note = finding.pastEventNote { out += "<p class=\"past\">\(escape(note))</p>\n" }
        out += "<p class=\"seen\">\(escape(finding.occurrences))</p>\n"
        for evidence in finding.evidence {
            let place = evidence.line.map { "\(evidence.artifact):\($0)" } ?? evidence.artifact
            out += "<div class=\"evidence\"><div class=\"place\">\(escape(place))"
            if evidence.repeats > 0 {
                out +=
                    " <span class=\"repeats\">(the same line \(evidence.repeats) more times, last at line \(evidence.lastLine ?? 0))</span>"
            }
            out += "</div>\n<pre>"
            let before = evidence.context.filter { $0.line < (evidence.line ?? 0) }
            let after = evidence.context.filter { $0.line > (evidence.line ?? 0) }
            for line in before {
                out += "<span class=\"ctx\"><span class=\"ln\">\(line.line)</span> \(escape(line.text))</span>\n"
            }
            out +=
                "<span class=\"hit\"><span class=\"ln\">\(evidence.line.map(String.init) ?? "–")</span> \(escape(evidence.text))</span>\n"
            for line in after {
                out += "<span class=\"ctx\"><span class=\"ln\">\(line.line)</span> \(escape(line.text))</span>\n"
            }
            out += "</pre></div>\n"
        }
        if finding.count > finding.citedLines {
            out += "<p class=\"more\">Evidence trimmed: \(finding.evidence.count) of the cited places shown.</p>\n"
        }
        out += "<div class=\"recommendation\"><h4>What to do</h4>\n"
        out += finding.recommendation.components(separatedBy: "\n\n").map { "<p>\(escape($0))</p>\n" }.joined()
        out += "</div>\n"
        if !finding.references.isEmpty {
            out += "<p class=\"references\">References: "
            out += finding.references.map { reference in
                if let link = reference.link, link.hasPrefix("https://") || link.hasPrefix("http://") {
                    return "<a href=\"\(escape(link))\">\(escape(reference.value))</a>"
                }
                return "<span>\(escape(reference.value))</span>"
            }.joined(separator: ", ")
            out += "</p>\n"
        }
        return out + "</article>\n"
    }

    /// Text safe in HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20, scalar != "\t", scalar != "\n" {
                    out += "&#xFFFD;"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func quoted(_ value: Double) -> String { "\"\(String(format: "%.1f", value))\"" }

    /// Parses the ISO 8601 forms timestamps take in reports (with or without zone and fraction).
    struct ISO8601Parser {
        func date(_ text: String) -> Date? {
            var value = text
            var offset: TimeInterval = 0
            if value.hasSuffix("Z") {
                value.removeLast()
            } else if value.count > 6, let sign = value.dropLast(5).last, sign == "+" || sign == "-",
                value.dropLast(2).last == ":"
            {
                let zone = value.suffix(6)
                let hours = Double(zone.dropFirst().prefix(2)) ?? 0
                let minutes = Double(zone.suffix(2)) ?? 0
                offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
                value = String(value.dropLast(6))
            }
            let parts = value.split(separator: ".")
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
            guard let first = parts.first, let date = formatter.date(from: String(first)) else { return nil }
            let fraction = parts.count > 1 ? (Double("0." + parts[1]) ?? 0) : 0
            return date.addingTimeInterval(fraction - offset)
        }
    }

    static let css = """
        :root{--critical:#8b0000;--high:#c0392b;--medium:#d68910;--low:#2471a3;--info:#707b7c;--ink:#1c2833;--muted:#5d6d7e;--line:#d5d8dc}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);max-width:1100px;margin:0 auto;padding:24px}
        h1{font-size:24px;margin:0 0 12px}h1 .upload{font-weight:400;color:var(--muted)}h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
        h3{font-size:16px;margin:0 0 6px}h4{margin:10px 0 4px;font-size:14px}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
        table.summary{border-collapse:collapse}table.summary th,table.summary td{border:1px solid var(--line);padding:4px 12px;text-align:center}
        td.zero{color:#aab7b8}td.sev-critical,td.sev-high,td.sev-medium,td.sev-low,td.sev-info{color:#fff;font-weight:600}
        .badge.sev-critical,td.sev-critical,th.sev-critical{background:var(--critical)}.badge.sev-high,td.sev-high,th.sev-high{background:var(--high)}
        .badge.sev-medium,td.sev-medium,th.sev-medium{background:var(--medium)}.badge.sev-low,td.sev-low,th.sev-low{background:var(--low)}.badge.sev-info,td.sev-info,th.sev-info{background:var(--info)}
        th.sev-critical,th.sev-high,th.sev-medium,th.sev-low,th.sev-info{color:#fff}
        article.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:4px;padding:12px 16px;margin:14px 0;background:#fff;page-break-inside:avoid}
        article.sev-critical{border-left-color:var(--critical)}article.sev-high{border-left-color:var(--high)}article.sev-medium{border-left-color:var(--medium)}article.sev-low{border-left-color:var(--low)}
        .badge{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
        .category{color:var(--muted);font-size:13px;text-transform:uppercase}
        .status{border:1px dashed var(--muted);border-radius:3px;padding:0 4px;font-size:12px;color:var(--muted)}
        .message{font-weight:600;margin:4px 0}.seen,.place,.more,.tuned{color:var(--muted);font-size:13px;margin:2px 0}
        .evidence pre{background:#f8f9f9;border:1px solid var(--line);padding:6px 8px;overflow-x:auto;font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:4px 0 8px;white-space:pre-wrap;word-break:break-all}
        .evidence .ctx{color:#7b8a8b}.evidence .hit{background:#fdebd0;display:inline-block;width:100%}.ln{display:inline-block;min-width:4ch;color:#95a5a6;text-align:right;margin-right:8px}
        .repeats{color:var(--medium)}
        section.nothing-checked{border:2px solid var(--high);border-radius:4px;padding:4px 16px;margin-top:20px;background:#fdedec}section.nothing-checked h2{color:var(--high);border:0;margin-top:8px}
        svg.timeline{width:100%;height:auto;background:#fbfcfc;border:1px solid var(--line)}svg .row{stroke:var(--line)}svg .axis{font-size:11px;fill:var(--muted)}svg .end{text-anchor:end}
        svg circle.sev-critical{fill:var(--critical)}svg circle.sev-high{fill:var(--high)}svg circle.sev-medium{fill:var(--medium)}svg circle.sev-low{fill:var(--low)}svg circle.sev-info{fill:var(--info)}
        ul.compact{columns:2;font-size:13px}footer{margin-top:32px;color:var(--muted);font-size:12px}
        a{color:#1f618d}
        @media print{body{max-width:none;padding:0}article.finding{break-inside:avoid}a{color:inherit}}
        """
}
