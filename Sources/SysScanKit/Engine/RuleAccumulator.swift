/// What one rule has matched so far in a scan, across artifacts.
struct RuleAccumulator {
    /// Matched lines, nodes or keys.
    var count = 0
    /// The first places matched, at most the scan's evidence limit.
    var evidence: [Evidence] = []
    /// Values for the message: named captures, attributes or key and value of the first match.
    var values: [String: String] = [:]
    /// The earliest and latest timestamps of matched lines.
    var firstSeen: TimestampParser.Stamp?
    var lastSeen: TimestampParser.Stamp?

    mutating func see(_ stamp: TimestampParser.Stamp?) {
        guard let stamp else { return }
        if firstSeen.map({ stamp.date < $0.date }) ?? true { firstSeen = stamp }
        if lastSeen.map({ stamp.date >= $0.date }) ?? true { lastSeen = stamp }
    }
}
