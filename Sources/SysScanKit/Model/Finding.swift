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
    /// The facts (such as `tomcat.version`) the verdict assumed because the upload does not show them; the
    /// finding is then rated one step below the rule's severity.
    ///
    /// Nil or empty: nothing was assumed.
    public var unverified: [String]? = nil
    /// How long before the upload's newest log line the finding last happened, in seconds; nil when its
    /// lines carry no time or no log line of the upload does.
    public var lastSeenAge: Double? = nil
    /// Whether it last happened longer ago than the scan's window for current events: a past event.
    public var pastEvent: Bool? = nil
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

    /// Why the finding is unverified (the facts it assumed, one step below the rule's severity), or nil.
    public var unverifiedNote: String? {
        guard let facts = unverified, !facts.isEmpty else { return nil }
        return "unverified: the upload does not show \(facts.joined(separator: ", ")); "
            + "rated one step below the rule's severity, as an affected version is assumed"
    }

    /// `past event: last seen 5 d 3 h before the upload's newest log line`, or nil for a current finding.
    public var pastEventNote: String? {
        guard pastEvent == true, let age = lastSeenAge else { return nil }
        let hours = Int(age / 3600)
        let span = hours >= 24 ? "\(hours / 24) d \(hours % 24) h" : "\(hours) h \(Int(age / 60) % 60) min"
        return "past event: last seen \(span) before the upload's newest log line"
    }
    /// Whether the finding counts towards the suggested case severity: a finding of an experimental rule
    /// is reported but may need a second look, so it does not.
    public var drivesCaseSeverity: Bool { status != .experimental }

    /// The evidence lines shown, repeats of an identical line included.
    var citedLines: Int { evidence.count + evidence.reduce(0) { $0 + $1.repeats } }
}
