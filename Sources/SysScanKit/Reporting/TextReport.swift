/// The terminal form of a `ScanReport`: findings grouped by category, then severity, each with its
/// message, evidence, recommendation and references; a one-line summary at the end.
///
/// When nothing of the upload could be checked, it says so right after the header, with why.
public struct TextReport {
    /// Whether to colour severities and headings (only on a terminal).
    public var colour: Bool

    /// Creates a renderer.
    ///
    /// - Parameter colour: Whether to use ANSI colours.
    public init(colour: Bool) { self.colour = colour }

    /// Renders `report`.
    ///
    /// - Parameter report: The report.
    /// - Returns: The text, ending in a newline.
    public func render(_ report: ScanReport) -> String {
        var out = ""
        let meta = report.metadata
        out += bold("SysScan report: \(report.inputs.map(\.name).joined(separator: " + "))") + "\n"
        var header: [String] = []
        if let system = meta.system { header.append("system \(system)") }
        if let product = meta.product { header.append("product \(product)\(meta.version.map { " \($0)" } ?? "")") }
        if let environment = meta.environment { header.append(environment) }
        header.append("case \(meta.supportCase ?? "none")")
        header.append("knowledge base \(report.knowledgeBaseVersion) (\(report.ruleCount) rules)")
        out += header.joined(separator: " · ") + "\n"
        if let facts = report.facts, !facts.isEmpty {
            out += "Detected: " + facts.map { "\($0.name) \($0.value) (\($0.place))" }.joined(separator: " · ") + "\n"
        }
        if let severity = report.suggestedCaseSeverity {
            out += "Suggested case severity: \(severity)\(report.responseTarget.map { " · \($0)" } ?? "")\n"
        }

        if let notice = NothingCheckedNotice(report) {
            out += "\n" + paint("NOTHING COULD BE CHECKED", code: "1;31") + ": \(notice.reason).\n"
            out += "  \(notice.entriesLine { $0 })\n"
            out += "  \(NothingCheckedNotice.consequence)\n"
        } else if report.findings.isEmpty {
            out += "\nNo known issue found.\n"
        }
        for category in [Category.security, .stability, .performance] {
            let group = report.findings.filter { $0.category == category }
            guard !group.isEmpty else { continue }
            out += "\n" + bold(category.rawValue.uppercased()) + "\n"
            for finding in group.sorted(by: { ($0.severity, $1.rule) > ($1.severity, $0.rule) }) {
                out += render(finding)
            }
        }
        if !report.suppressed.isEmpty {
            out +=
                "\n\(report.suppressed.count) finding\(report.suppressed.count == 1 ? "" : "s") suppressed by local tuning: "
                + report.suppressed.map { "\($0.rule) (\($0.tuningReason ?? ""))" }.joined(separator: ", ") + "\n"
        }
        if !report.warnings.isEmpty {
            out += "\n" + bold("WARNINGS") + "\n"
            for warning in report.warnings {
                out += "  \(paint("warning", code: "33")) [\(warning.code.rawValue)] \(warning.message)\n"
            }
        }
        if !report.notEvaluated.isEmpty {
            let missing = Set(report.notEvaluated.flatMap(\.missingKinds)).sorted()
            out +=
                "\n\(report.notEvaluated.count) rules not evaluated (no artifact of kind \(missing.joined(separator: ", ")))\n"
        }
        out += "\n" + summaryLine(report) + "\n"
        return out
    }

    /// The one-line summary: counts by severity, artifacts read, entries skipped with reasons.
    public func summaryLine(_ report: ScanReport) -> String {
        let counts = report.countsBySeverity
        let severities = Severity.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        var skipped: [String] = []
        if report.skipped.notRecognised > 0 { skipped.append("\(report.skipped.notRecognised) not recognised") }
        if report.skipped.withWarning > 0 { skipped.append("\(report.skipped.withWarning) with warnings") }
        let skippedText = skipped.isEmpty ? "0 entries skipped" : "entries skipped: " + skipped.joined(separator: ", ")
        return
            "Summary: \(report.findings.count) findings (\(severities)) · \(report.artifacts.count) artifacts read · "
            + "\(skippedText) · \(report.warnings.count) warnings"
    }

    private func render(_ finding: Finding) -> String {
        let status = finding.status.map { $0 == .stable ? "" : " [\($0.rawValue)]" } ?? ""
        var out = "  \(severityLabel(finding.severity)) \(bold(finding.rule))\(status)  \(finding.title)\n"
        if let original = finding.originalSeverity {
            out += "      (severity \(original.rawValue) in the knowledge base; tuned: \(finding.tuningReason ?? ""))\n"
        }
        out += "      \(finding.message)\n"
        if let note = finding.unverifiedNote { out += "      (\(note))\n" }
        if let note = finding.pastEventNote { out += "      (\(note))\n" }
        out += "      \(finding.occurrences)\n"
        for evidence in finding.evidence {
            let place = evidence.line.map { "\(evidence.artifact):\($0)" } ?? evidence.artifact
            let repeats =
                evidence.repeats > 0
                ? " (same line \(evidence.repeats) more times, last at line \(evidence.lastLine ?? 0))" : ""
            out += "      \(paint("→", code: "2")) \(place)\(repeats)\n"
            for line in evidence.context where line.line < (evidence.line ?? 0) {
                out += paint("        \(String(line.line).leftPadded(6))   \(line.text)", code: "2") + "\n"
            }
            out += "        \(String(evidence.line.map(String.init) ?? "-").leftPadded(6)) > \(evidence.text)\n"
            for line in evidence.context where line.line > (evidence.line ?? 0) {
                out += paint("        \(String(line.line).leftPadded(6))   \(line.text)", code: "2") + "\n"
            }
        }
        if finding.count > finding.citedLines {
            out += "      … and \(finding.count - finding.citedLines) more\n"
        }
        let recommendation = finding.recommendation.split(separator: "\n").map { "        \($0)" }.joined(
            separator: "\n")
        out += "      Fix:\n\(recommendation)\n"
        let references = finding.references.map { reference in
            reference.type == "url" ? reference.value : "\(reference.value)"
        }
        if !references.isEmpty { out += "      See: \(references.joined(separator: ", "))\n" }
        return out
    }

    private func severityLabel(_ severity: Severity) -> String {
        let label = severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
        switch severity {
        case .critical: return paint(label, code: "1;31")
        case .high: return paint(label, code: "31")
        case .medium: return paint(label, code: "33")
        case .low: return paint(label, code: "36")
        case .info: return paint(label, code: "2")
        }
    }

    private func bold(_ text: String) -> String { paint(text, code: "1") }

    private func paint(_ text: String, code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The profile as a table: artifacts slowest first with MB/s, then rules costliest first.
    public static func profile(_ profile: ScanProfile, limit: Int = 15) -> String {
        var out = "Profile: artifacts (slowest first)\n"
        for artifact in profile.artifacts.prefix(limit) {
            let rate = artifact.seconds > 0 ? Double(artifact.bytes) / 1e6 / artifact.seconds : 0
            out +=
                String(format: "  %8.3f s %10d bytes %8.1f MB/s  ", artifact.seconds, artifact.bytes, rate)
                + "\(artifact.kind)  \(artifact.name)\n"
        }
        out += "Profile: rules (costliest first: PCRE2 confirmations of candidate lines, config evaluation)\n"
        for rule in profile.rules.prefix(limit) {
            out += String(format: "  %8.4f s %10d lines  ", rule.seconds, rule.confirmations) + rule.id + "\n"
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
