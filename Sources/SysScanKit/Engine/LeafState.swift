import Foundation

/// What one leaf condition has matched so far in a scan, across artifacts.
///
/// A class: a matched line changes it in place, without copying its arrays and dictionaries. One thread
/// owns it at a time (the artifact's matcher, then the merge into the scan, under the merge's lock), so its
/// properties skip Swift's run-time exclusivity checks.
final class LeafState {
    /// Counted lines, nodes, keys or pairs.
    @exclusivity(unchecked) var count = 0
    /// The first places matched, at most the scan's evidence limit.
    @exclusivity(unchecked) var evidence: [Evidence] = []
    /// For log lines: the index in `evidence` of each cited line, by a hash of its artifact and bytes.
    @exclusivity(unchecked) var citedLines: [Int: Int] = [:]
    /// The length and first bytes of each cited line (a handful: the evidence limit): a line that matches
    /// none of them cannot repeat one.
    ///
    /// Compared one by one, which is cheaper than hashing for so few.
    @exclusivity(unchecked) var citedSignatures: [Signature] = []

    /// A line's length and three of its 8-byte words (its start, bytes 16–23, where log times keep their
    /// seconds, and its end), compared before a line is hashed.
    struct Signature: Hashable {
        var count: Int
        var first: UInt64
        var second: UInt64
        var last: UInt64

        init(_ line: UnsafeRawBufferPointer) {
            count = line.count
            func word(at offset: Int) -> UInt64 {
                var value: UInt64 = 0
                let start = max(0, min(offset, line.count))
                let end = min(line.count, start + 8)
                withUnsafeMutableBytes(of: &value) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: line[start..<end]))
                }
                return value
            }
            first = word(at: 0)
            second = word(at: 16)
            last = word(at: line.count - 8)
        }
    }

    /// Values for the message: named captures, attributes, key and value of the first match.
    @exclusivity(unchecked) var values: [String: String] = [:]
    /// The earliest and latest timestamps of matched lines.
    @exclusivity(unchecked) var firstSeen: TimestampParser.Stamp?
    @exclusivity(unchecked) var lastSeen: TimestampParser.Stamp?
    /// With `within`: whether `min_count` lines fell in one window.
    @exclusivity(unchecked) var windowMet = false
    /// With `within`: the timestamps of the last counted lines of the current artifact.
    @exclusivity(unchecked) var recentTimes: [Date] = []
    /// With `followed_by`: the first lines of the current artifact still waiting for their follow-up.
    @exclusivity(unchecked) var pending: [(stamp: TimestampParser.Stamp?, evidence: Evidence)] = []
    /// For a JVM option: its effective value, where it was set, and the precedence of that place.
    @exclusivity(unchecked) var jvmValue: (value: String, evidence: Evidence, precedence: JVMPrecedence)?

    func see(_ stamp: TimestampParser.Stamp?) {
        guard let stamp else { return }
        if firstSeen.map({ stamp.date < $0.date }) ?? true { firstSeen = stamp }
        if lastSeen.map({ stamp.date >= $0.date }) ?? true { lastSeen = stamp }
    }

    func cite(_ item: Evidence, limit: Int) {
        if evidence.count < limit, !evidence.contains(item) { evidence.append(item) }
    }

    /// Takes in what one artifact's state for the same leaf found, as if its lines had been matched here
    /// after everything before: counts add up, evidence is cited up to `limit` in order, the first values
    /// stay, the earliest and latest times and the effective JVM setting win.
    ///
    /// Windows and pending first
    /// lines do not span artifacts, so they are not taken.
    func absorb(_ other: LeafState, limit: Int) {
        count += other.count
        for item in other.evidence { cite(item, limit: limit) }
        if values.isEmpty { values = other.values }
        see(other.firstSeen)
        see(other.lastSeen)
        windowMet = windowMet || other.windowMet
        if let setting = other.jvmValue, jvmValue.map({ !($0.precedence > setting.precedence) }) ?? true {
            jvmValue = setting
        }
    }
}

/// Which setting of a JVM option is effective, whatever order the upload's files are read in: a logged
/// command line (the JVM that ran) wins over a start script; then the later file by path; then the later line.
struct JVMPrecedence: Comparable {
    var logged: Bool
    var entry: String
    var line: Int

    static func < (a: JVMPrecedence, b: JVMPrecedence) -> Bool {
        (a.logged ? 1 : 0, a.entry, a.line) < (b.logged ? 1 : 0, b.entry, b.line)
    }
}
