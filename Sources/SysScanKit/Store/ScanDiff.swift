import Foundation

/// What changed between two scans: findings new, fixed, still present (with severity changes).
public struct ScanDiff: Sendable {
    /// A finding present in both scans.
    public struct Kept: Sendable {
        /// The finding in the newer scan.
        public var finding: ScanStore.StoredFinding
        /// Its severity in the older scan, when it changed.
        public var previousSeverity: String?
    }

    /// The older and newer scans' ids.
    public var older: Int64
    public var newer: Int64
    /// Findings only in the newer scan.
    public var new: [ScanStore.StoredFinding]
    /// Findings only in the older scan.
    public var fixed: [ScanStore.StoredFinding]
    /// Findings in both.
    public var stillPresent: [Kept]

    /// Compares two stored scans.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    public init(store: ScanStore, older: Int64, newer: Int64) throws(StoreError) {
        self.older = older
        self.newer = newer
        let before = Dictionary(uniqueKeysWithValues: try store.findings(scanID: older).map { ($0.rule, $0) })
        let after = try store.findings(scanID: newer)
        let afterRules = Set(after.map(\.rule))
        new = after.filter { before[$0.rule] == nil }
        fixed = before.values.filter { !afterRules.contains($0.rule) }.sorted { $0.rule < $1.rule }
        stillPresent = after.compactMap { finding in
            guard let previous = before[finding.rule] else { return nil }
            return Kept(
                finding: finding, previousSeverity: previous.severity == finding.severity ? nil : previous.severity)
        }
    }

    /// The diff as text.
    public func text() -> String {
        var out =
            "Scan \(newer) compared with scan \(older): \(new.count) new, \(fixed.count) fixed, \(stillPresent.count) still present\n"
        if !new.isEmpty {
            out +=
                "\nNEW\n"
                + new.map {
                    "  + \($0.severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.rule)  \($0.message)\n"
                }.joined()
        }
        if !fixed.isEmpty {
            out +=
                "\nFIXED\n"
                + fixed.map {
                    "  - \($0.severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.rule)  \($0.title)\n"
                }.joined()
        }
        if !stillPresent.isEmpty {
            out += "\nSTILL PRESENT\n"
            for kept in stillPresent {
                let change = kept.previousSeverity.map { " (was \($0))" } ?? ""
                out +=
                    "  = \(kept.finding.severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \(kept.finding.rule)\(change)  \(kept.finding.message)\n"
            }
        }
        return out
    }

    /// The diff as JSON (sorted keys).
    public func json() -> String {
        struct Item: Encodable {
            let rule: String
            let title: String
            let severity: String
            let category: String
            let message: String
            let count: Int
            let previous_severity: String?
        }
        struct Document: Encodable {
            let older_scan: Int64
            let newer_scan: Int64
            let new: [Item]
            let fixed: [Item]
            let still_present: [Item]
        }
        func item(_ finding: ScanStore.StoredFinding, previous: String? = nil) -> Item {
            Item(
                rule: finding.rule, title: finding.title, severity: finding.severity, category: finding.category,
                message: finding.message, count: finding.count, previous_severity: previous)
        }
        let document = Document(
            older_scan: older, newer_scan: newer, new: new.map { item($0) }, fixed: fixed.map { item($0) },
            still_present: stillPresent.map { item($0.finding, previous: $0.previousSeverity) })
        return JSONText.encode(document)
    }
}

/// Everything known about a support case: its scans, open findings, suggested severity and target.
public struct CaseView: Sendable {
    /// The case number.
    public var number: String
    /// Its scans, newest first.
    public var scans: [ScanStore.ScanSummary]
    /// The findings of the newest scan of each system of the case.
    public var openFindings: [ScanStore.StoredFinding]
    /// The suggested case severity (0 … 3), nil without findings or policy.
    public var suggestedSeverity: Int?
    /// The response target of the plan for that severity.
    public var responseTarget: String?

    /// Gathers the case from the store.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    public init(store: ScanStore, number: String, policy: SupportPolicy?, plan: String?) throws(StoreError) {
        self.number = number
        scans = try store.history(supportCase: number)
        var latestPerSystem: [String: Int64] = [:]
        for scan in scans where scan.status == "done" {
            let key = scan.system ?? "scan-\(scan.id)"
            if latestPerSystem[key] == nil { latestPerSystem[key] = scan.id }
        }
        var findings: [String: ScanStore.StoredFinding] = [:]
        for id in latestPerSystem.values.sorted() {
            for finding in try store.findings(scanID: id) { findings[finding.rule] = finding }
        }
        openFindings = findings.values.sorted { a, b in
            let rankA = Severity(rawValue: a.severity)?.rank ?? -1
            let rankB = Severity(rawValue: b.severity)?.rank ?? -1
            return rankA != rankB ? rankA > rankB : a.rule < b.rule
        }
        if let policy {
            let pairs = openFindings.filter { $0.status != Rule.Status.experimental.rawValue }.compactMap { finding in
                Severity(rawValue: finding.severity).flatMap { severity in
                    Category(rawValue: finding.category).map { (severity, $0) }
                }
            }
            let environment = try store.environment(ofCase: number)
            suggestedSeverity = openFindings.isEmpty ? nil : policy.severity(for: pairs, environment: environment)
            if let severity = suggestedSeverity {
                let planName = plan ?? (try? store.plan(ofCase: number)) ?? nil
                responseTarget = policy.target(plan: planName, severity: severity)
            }
        }
    }

    /// The case as text.
    public func text() -> String {
        var out = "Case \(number): \(scans.count) scan\(scans.count == 1 ? "" : "s")\n"
        for scan in scans {
            out += "  scan \(scan.id)  \(scan.finishedAt)  \(scan.status)  \(scan.system ?? "-")  \(scan.upload)\n"
        }
        out += "\nOpen findings (latest scan of each system): \(openFindings.count)\n"
        for finding in openFindings {
            out +=
                "  \(finding.severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \(finding.rule)  \(finding.message)\n"
        }
        if let severity = suggestedSeverity {
            out += "\nSuggested case severity: \(severity)\n"
            if let target = responseTarget { out += "Response target: \(target)\n" }
        }
        return out
    }
}

/// The history as JSON.
public enum HistoryReport {
    /// Scans as a JSON array (sorted keys).
    public static func json(_ scans: [ScanStore.ScanSummary]) -> String {
        // Every key is always present (null when unknown), as in the scan report.
        struct Item: Encodable {
            let id: Int64
            let upload: String
            let sha256: String
            @Null var system: String?
            @Null var `case`: String?
            let knowledge_base_version: String
            let started_at: String
            let finished_at: String
            let status: String
            @Null var error: String?
            @Null var linked_scan: Int64?
            let by_severity: [String: Int]
        }
        let items = scans.map { scan in
            Item(
                id: scan.id, upload: scan.upload, sha256: scan.sha256, system: scan.system, case: scan.supportCase,
                knowledge_base_version: scan.knowledgeBaseVersion, started_at: scan.startedAt,
                finished_at: scan.finishedAt,
                status: scan.status, error: scan.error, linked_scan: scan.linkedScan,
                by_severity: Dictionary(
                    uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, scan.counts[$0] ?? 0) }))
        }
        return JSONText.encode(items, fallback: "[]\n")
    }

    /// Scans as a table with a header: a failed scan shows its error instead of counts, a duplicate or
    /// linked scan the scan whose results it reuses.
    public static func text(_ scans: [ScanStore.ScanSummary]) -> String {
        guard !scans.isEmpty else { return "No scan recorded.\n" }
        var rows = [["SCAN", "FINISHED", "STATUS", "SYSTEM", "CASE", "FINDINGS", "UPLOAD"]]
        for scan in scans {
            let outcome: String
            switch scan.status {
            case "failed": outcome = "error: " + (scan.error ?? "unknown").replacingOccurrences(of: "\n", with: " ")
            case "duplicate": outcome = "same as scan \(scan.linkedScan.map(String.init) ?? "?")"
            default:
                outcome =
                    Severity.allCases.map { "\(scan.counts[$0] ?? 0)\($0.rawValue.prefix(1).uppercased())" }.joined(
                        separator: " ")
                    + (scan.linkedScan.map { " (results of scan \($0))" } ?? "")
            }
            rows.append([
                String(scan.id), scan.finishedAt, scan.status, scan.system ?? "-", scan.supportCase ?? "-", outcome,
                scan.upload,
            ])
        }
        // The last two columns (findings or error, upload) are not padded: an error may be long.
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + row[5] + (row[0] == "SCAN" ? "  " : "  ") + row[6]
        }.joined(separator: "\n") + "\n"
    }
}
