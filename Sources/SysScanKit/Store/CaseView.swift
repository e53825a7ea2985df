import Foundation

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
            // An experimental rule's finding is shown but does not drive the suggested severity.
            let pairs = openFindings.filter { $0.status != Rule.Status.experimental.rawValue }.compactMap { finding in
                Severity(rawValue: finding.severity).flatMap { severity in
                    Category(rawValue: finding.category).map { (severity, $0) }
                }
            }
            let environment = try store.environment(ofCase: number)
            // With open findings that are all experimental, the lowest severity: there is something to look at.
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
