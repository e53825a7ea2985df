import Foundation
import StreamMatch

/// Finds the timestamp near the start of a log line, in the common formats: ISO 8601 (log4j, logback,
/// unified JVM logging), Tomcat/JUL (`20-Nov-2026 10:15:30.123`), Apache error log
/// (`[Fri Nov 20 10:15:30.123456 2026]`), Apache access log (`[20/Nov/2026:10:15:30 +0000]`) and syslog
/// (`Nov 20 10:15:30`, year taken from the scan date).
///
/// Immutable and `Sendable`; matching state is made per call.
final class TimestampParser: Sendable {
    /// A timestamp: the moment (UTC when the line gives no zone) and its ISO 8601 text.
    struct Stamp: Sendable, Hashable {
        var date: Date
        var text: String
    }

    private let formats: [CompiledRegex]
    private let now: Date
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Creates a parser.
    ///
    /// - Parameter now: The scan date, which gives syslog timestamps their year.
    init(now: Date) {
        self.now = now
        let month = "(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
        let time = #"(?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?"#
        let sources = [
            #"(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[T ]"# + time + #"(?<z>Z|[+-]\d{2}:?\d{2})?"#,
            #"(?<d>\d{2})-"# + month + #"-(?<y>\d{4}) "# + time,
            #"\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) "# + month + #" (?<d>\d{1,2}) "# + time + #" (?<y>\d{4})\]"#,
            #"\[(?<d>\d{2})/"# + month + #"/(?<y>\d{4}):"# + time + #" (?<z>[+-]\d{4})\]"#,
            "^" + month + #" {1,2}(?<d>\d{1,2}) "# + time,
        ]
        formats = sources.compactMap { try? CompiledRegex(Pattern($0)) }
    }

    /// Returns the timestamp in the first 96 bytes of `line`, or nil.
    func parse(_ line: UnsafeRawBufferPointer) -> Stamp? {
        let head = UnsafeRawBufferPointer(rebasing: line[0..<min(line.count, 96)])
        for format in formats {
            guard let state = format.makeMatchState() else { continue }
            let groups = format.namedCaptures(in: head, state: state)
            if !groups.isEmpty, let stamp = stamp(from: groups) { return stamp }
        }
        return nil
    }

    private func stamp(from groups: [String: String]) -> Stamp? {
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        var components = DateComponents()
        components.day = groups["d"].flatMap { Int($0) }
        components.month = groups["mo"].flatMap { Int($0) } ?? groups["mon"].flatMap { Self.months.firstIndex(of: $0).map { $0 + 1 } }
        components.hour = groups["h"].flatMap { Int($0) }
        components.minute = groups["mi"].flatMap { Int($0) }
        components.second = groups["s"].flatMap { Int($0) }
        guard let month = components.month, let day = components.day, (1...12).contains(month), (1...31).contains(day),
            let hour = components.hour, hour < 24
        else { return nil }
        var year = groups["y"].flatMap { Int($0) }
        if year == nil {
            let current = calendar.component(.year, from: now)
            components.year = current
            if let candidate = calendar.date(from: components), candidate > now.addingTimeInterval(86_400) {
                year = current - 1
            } else {
                year = current
            }
        }
        components.year = year
        let fraction = groups["f"] ?? ""
        if !fraction.isEmpty, let value = Double("0." + fraction) { components.nanosecond = Int(value * 1e9) }
        var offsetSeconds = 0
        var zoneText = ""
        if let zone = groups["z"], !zone.isEmpty {
            if zone == "Z" {
                zoneText = "Z"
            } else {
                let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
                let hours = Int(digits.prefix(2)) ?? 0
                let minutes = Int(digits.dropFirst(2)) ?? 0
                offsetSeconds = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
                zoneText = "\(zone.prefix(1))\(digits.prefix(2)):\(digits.dropFirst(2))"
            }
        }
        guard let local = calendar.date(from: components), let y = year else { return nil }
        let date = local.addingTimeInterval(TimeInterval(-offsetSeconds))
        let text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", y, month, day, hour, components.minute ?? 0, components.second ?? 0)
            + (fraction.isEmpty ? "" : "." + fraction) + zoneText
        return Stamp(date: date, text: text)
    }
}
