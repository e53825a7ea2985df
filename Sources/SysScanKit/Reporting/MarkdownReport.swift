/// The Markdown form of a `ScanReport`, to paste into a support case (GitHub-flavoured tables, no HTML).
///
/// When nothing of the upload could be checked, a quoted notice after the header table says so and why.
public enum MarkdownReport {
    /// Renders `report`.
    ///
    /// - Parameter report: The report.
    /// - Returns: Markdown text, ending in a newline.
    public static func render(_ report: ScanReport) -> String {
        let meta = report.metadata
        var out = "# SysScan report: \(escape(report.inputs.map(\.name).joined(separator: " + ")))\n\n"
        out += "| | |\n|---|---|\n"
        out += "| System | \(escape(meta.system ?? "unknown")) |\n"
        if let product = meta.product {
            out += "| Product | \(escape(product + (meta.version.map { " " + $0 } ?? ""))) |\n"
        }
        out += "| Case | \(escape(meta.supportCase ?? "none")) |\n"
        out += "| Knowledge base | \(escape(report.knowledgeBaseVersion)) (\(report.ruleCount) rules) |\n"
        for fact in report.facts ?? [] {
            out += "| \(escape(fact.name)) | \(escape(fact.value)) (\(escape(fact.place))) |\n"
        }
        if let severity = report.suggestedCaseSeverity {
            out +=
                "| Suggested case severity | \(severity)\(report.responseTarget.map { " (" + escape($0) + ")" } ?? "") |\n"
        }
        out += "\n"
        if let notice = NothingCheckedNotice(report) {
            let code = { (name: String) in "`" + String(name.map { $0 == "`" ? "'" : $0.isNewline ? " " : $0 }) + "`" }
            out +=
                "> **Nothing could be checked:** \(escape(notice.reason)). \(notice.entriesLine(code)). "
                + "\(NothingCheckedNotice.consequence)\n\n"
        }
        let counts = report.countsBySeverity
        out +=
            "**\(report.findings.count) findings**: "
            + Severity.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "\n\n"
        if !report.findings.isEmpty {
            out += "| Severity | Category | Rule | Finding | Count |\n|---|---|---|---|---|\n"
            for finding in report.findings {
                out +=
                    "| \(finding.severity.rawValue) | \(finding.category.rawValue) | \(finding.rule)\(statusMark(finding)) | \(escape(finding.message)) | \(finding.count) |\n"
            }
            out += "\n"
        }
        for finding in report.findings {
            out +=
                "## \(finding.severity.rawValue.uppercased()) \(finding.rule)\(statusMark(finding)): \(escape(finding.title))\n\n"
            out += "\(escape(finding.message))\n\n"
            if let note = finding.unverifiedNote { out += "*\(escape(note))*\n\n" }
            if let note = finding.pastEventNote { out += "*\(escape(note))*\n\n" }
            if !finding.evidence.isEmpty {
                out += "```text\n"
                for evidence in finding.evidence {
                    let place = evidence.line.map { "\(evidence.artifact):\($0)" } ?? evidence.artifact
                    out +=
                        fence(place)
                        + (evidence.repeats > 0
                            ? "  (same line \(evidence.repeats) more times, last at line \(evidence.lastLine ?? 0))"
                            : "") + "\n"
                    for line in evidence.context where line.line < (evidence.line ?? 0) {
                        out += "  \(line.line) | \(fence(line.text))\n"
                    }
                    out += "> \(evidence.line.map(String.init) ?? "-") | \(fence(evidence.text))\n"
                    for line in evidence.context where line.line > (evidence.line ?? 0) {
                        out += "  \(line.line) | \(fence(line.text))\n"
                    }
                }
                out += "```\n"
            }
            if finding.count > finding.citedLines {
                out += "\n_Evidence trimmed: \(finding.evidence.count) places shown of \(finding.count) matches._\n"
            }
            out +=
                "\n**What to do:** \(escape(finding.recommendation.split(separator: "\n").joined(separator: " ")))\n\n"
            let references = finding.references.map { reference in
                reference.link.map { "[\(escape(reference.value))](\($0))" } ?? escape(reference.value)
            }
            if !references.isEmpty { out += "**References:** \(references.joined(separator: ", "))\n\n" }
        }
        if !report.warnings.isEmpty {
            out +=
                "## Warnings\n\n" + report.warnings.map { "- \($0.code.rawValue): \(escape($0.message))\n" }.joined()
                + "\n"
        }
        if !report.notEvaluated.isEmpty {
            out += "## Not evaluated\n\n\(report.notEvaluated.count) rules: their artifacts are not in the upload.\n"
        }
        return out
    }

    /// ` (experimental)` or ` (deprecated)` after a rule id; nothing for a stable rule.
    static func statusMark(_ finding: Finding) -> String {
        guard let status = finding.status, status != .stable else { return "" }
        return " (\(status.rawValue))"
    }

    /// Text safe in a Markdown table cell or paragraph: pipes, angle brackets and emphasis escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|", "*", "_", "`", "[", "]", "<", ">", "#", "\\": out += "\\\(character)"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Text safe inside a fenced code block (a run of backticks cannot close it).
    static func fence(_ text: String) -> String { text.replacingOccurrences(of: "```", with: "'''") }
}
