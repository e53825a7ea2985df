/// A known issue found in an upload, with its proof and what to do.
public struct Finding: Sendable, Codable {
    /// The rule's id, such as `TOMCAT-AJP-NO-SECRET`.
    public var rule: String
    /// The known issue's title.
    public var title: String
    /// What the issue threatens.
    public var category: Category
    /// How serious it is.
    public var severity: Severity
    /// The rule's message with the values of this upload filled in.
    public var message: String
    /// What to do.
    public var recommendation: String
    /// Where the issue is documented.
    public var references: [Reference]
    /// How many times the condition matched (lines, nodes or keys).
    public var count: Int
    /// The earliest timestamp among the matched lines, ISO 8601.
    public var firstSeen: String?
    /// The latest timestamp among the matched lines, ISO 8601.
    public var lastSeen: String?
    /// The first places that prove the finding (at most the scan's evidence limit).
    public var evidence: [Evidence]
    /// The support case the scan belongs to.
    public var supportCase: String?
    /// The knowledge base's severity when local tuning changed it.
    public var originalSeverity: Severity? = nil
    /// Why local tuning changed or suppressed the finding.
    public var tuningReason: String? = nil
    /// The status of the rule that made the finding (nil in reports recorded before statuses were kept,
    /// which read as stable).
    public var status: Rule.Status? = nil
}

extension Finding {
    /// How often and when: `3 matches, from 2026-11-20T10:00:00 to 2026-11-20T11:00:00` (`at …` for one time).
    public var occurrences: String {
        var text = "\(count) match\(count == 1 ? "" : "es")"
        if let firstSeen, let lastSeen {
            text += firstSeen == lastSeen ? ", at \(firstSeen)" : ", from \(firstSeen) to \(lastSeen)"
        }
        return text
    }

    /// Whether the finding counts towards the suggested case severity: a finding of an experimental rule
    /// is reported but may need a second look, so it does not.
    public var drivesCaseSeverity: Bool { status != .experimental }

    /// The evidence lines shown, repeats of an identical line included.
    var citedLines: Int { evidence.count + evidence.reduce(0) { $0 + $1.repeats } }
}
