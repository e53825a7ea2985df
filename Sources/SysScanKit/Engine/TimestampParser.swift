import Foundation

/// Finds the timestamp near the start of a log line, in the common formats: ISO 8601 (log4j, logback,
/// unified JVM logging), Tomcat/JUL (`20-Nov-2026 10:15:30.123`), Apache error log
/// (`[Fri Nov 20 10:15:30.123456 2026]`), Apache access log (`[20/Nov/2026:10:15:30 +0000]`) and syslog
/// (`Nov 20 10:15:30`, year taken from the scan date).
///
/// It reads bytes: each format is a small scanner over the line's first 96 bytes, tried in that order,
/// and the moment is computed with integer calendar arithmetic (no `Calendar`, no strings). The ISO
/// text of a stamp is made only when a report cites it. Immutable and `Sendable`.
final class TimestampParser: Sendable {
    /// A timestamp: the moment (UTC when the line gives no zone) and what its ISO 8601 text is made of.
    struct Stamp: Sendable, Hashable {
        /// Seconds since 1970 (UTC when the line gives no zone).
        var epoch: Double
        var year: Int32
        var month: UInt8
        var day: UInt8
        var hour: UInt8
        var minute: UInt8
        var second: UInt8
        /// The fraction's digits as written (at most 9) and how many there are.
        var fraction: UInt32
        var fractionDigits: UInt8
        /// The zone as written: nil when the line gives none; else its offset in minutes (0 with `Z`).
        var zoneMinutes: Int16?
        var zoneIsZ: Bool

        /// The moment.
        var date: Date { Date(timeIntervalSince1970: epoch) }

        /// ISO 8601: `2026-11-20T10:15:30.123`, with the zone only when the line gives one.
        var text: String {
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
            }
            var text = "\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))T"
            text += "\(pad(Int(hour), 2)):\(pad(Int(minute), 2)):\(pad(Int(second), 2))"
            if fractionDigits > 0 { text += "." + pad(Int(fraction), Int(fractionDigits)) }
            if zoneIsZ {
                text += "Z"
            } else if let zoneMinutes {
                let magnitude = abs(Int(zoneMinutes))
                text += (zoneMinutes < 0 ? "-" : "+") + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
            }
            return text
        }
    }

    private let now: Date
    private let nowEpoch: Double
    private let nowYear: Int

    /// Creates a parser.
    ///
    /// - Parameter now: The scan date, which gives syslog timestamps their year.
    init(now: Date) {
        self.now = now
        nowEpoch = now.timeIntervalSince1970
        nowYear = Self.civil(fromDays: Int((nowEpoch / 86_400).rounded(.down))).year
    }

    /// Returns the timestamp in the first 96 bytes of `line`, or nil.
    func parse(_ line: UnsafeRawBufferPointer) -> Stamp? {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let head = Head(bytes: base, count: min(line.count, 96))
        // Cheap byte tests first: an ISO date has `-` after four digits, a Tomcat date `-` after two.
        let dash = UInt8(ascii: "-")
        for start in 0..<head.count where start + 4 < head.count && head[start + 4] == dash && head.isDigit(start) {
            if let stamp = iso(head, start) { return stamp }
        }
        for start in 0..<head.count where start + 2 < head.count && head[start + 2] == dash && head.isDigit(start) {
            if let stamp = tomcat(head, start) { return stamp }
        }
        for start in 0..<head.count where head[start] == UInt8(ascii: "[") {
            if let stamp = apacheError(head, start) { return stamp }
        }
        for start in 0..<head.count where head[start] == UInt8(ascii: "[") {
            if let stamp = apacheAccess(head, start) { return stamp }
        }
        return julSimple(head) ?? syslog(head)
    }

    // MARK: Formats

    /// java.util.logging's SimpleFormatter (Tomcat 6 and 7, any JUL application) at a line's start:
    /// `Mon dd, yyyy h:mm:ss AM|PM` (`Feb 02, 2026 11:27:17 PM`), the record's message on the next line.
    private func julSimple(_ head: Head) -> Stamp? {
        var i = 0
        guard let month = head.month(&i), head.byte(&i, " "), let day = head.number(&i, 2), head.byte(&i, ","),
            head.byte(&i, " "), let year = head.number(&i, 4), head.byte(&i, " "),
            let hour = head.number(&i, 1, upTo: 2), (1...12).contains(hour), head.byte(&i, ":")
        else { return nil }
        // `time` reads a two-digit hour: hand it the minutes and seconds behind a placeholder hour.
        var j = i
        guard let minute = head.number(&j, 2), head.byte(&j, ":"), let second = head.number(&j, 2), head.byte(&j, " "),
            j + 1 < head.count, head[j + 1] == UInt8(ascii: "M"),
            head[j] == UInt8(ascii: "A") || head[j] == UInt8(ascii: "P")
        else { return nil }
        let afternoon = head[j] == UInt8(ascii: "P")
        let hours24 = hour % 12 + (afternoon ? 12 : 0)
        guard (1...12).contains(month), (1...31).contains(day), minute < 60, second < 61 else { return nil }
        var stamp = Stamp(
            epoch: 0, year: Int32(year), month: UInt8(month), day: UInt8(day), hour: UInt8(hours24),
            minute: UInt8(minute), second: UInt8(second), fraction: 0, fractionDigits: 0, zoneMinutes: nil,
            zoneIsZ: false)
        stamp.epoch = Self.epoch(stamp)
        return stamp
    }

    /// An ISO 8601 time: `yyyy-mm-dd[T ]hh:mm:ss([.,]f{1,9})?(Z|[+-]hh:?mm)?`.
    private func iso(_ head: Head, _ start: Int) -> Stamp? {
        var i = start
        guard let year = head.number(&i, 4), head.byte(&i, "-"), let month = head.number(&i, 2), head.byte(&i, "-"),
            let day = head.number(&i, 2), i < head.count, head[i] == UInt8(ascii: "T") || head[i] == 0x20
        else { return nil }
        i += 1
        guard var stamp = time(head, &i, year: year, month: month, day: day) else { return nil }
        if i < head.count, head[i] == UInt8(ascii: "Z") {
            stamp.zoneIsZ = true
            stamp.zoneMinutes = 0
        } else if i < head.count, head[i] == UInt8(ascii: "+") || head[i] == UInt8(ascii: "-") {
            let negative = head[i] == UInt8(ascii: "-")
            var j = i + 1
            if let hours = head.number(&j, 2) {
                _ = head.byte(&j, ":")
                // An offset past a day is no zone: the digits are something else.
                if let minutes = head.number(&j, 2), hours < 24, minutes < 60 {
                    let total = hours * 60 + minutes
                    stamp.zoneMinutes = Int16(negative ? -total : total)
                    stamp.epoch -= Double((negative ? -total : total) * 60)
                }
            }
        }
        return stamp
    }

    /// A Tomcat time: `dd-Mon-yyyy hh:mm:ss(.f)?`.
    private func tomcat(_ head: Head, _ start: Int) -> Stamp? {
        var i = start
        guard let day = head.number(&i, 2), head.byte(&i, "-"), let month = head.month(&i), head.byte(&i, "-"),
            let year = head.number(&i, 4), head.byte(&i, " ")
        else { return nil }
        return time(head, &i, year: year, month: month, day: day)
    }

    /// An Apache httpd error-log time: `[Day Mon d{1,2} hh:mm:ss(.f)? yyyy]`.
    private func apacheError(_ head: Head, _ start: Int) -> Stamp? {
        var i = start + 1
        guard head.weekday(&i), head.byte(&i, " "), let month = head.month(&i), head.byte(&i, " "),
            let day = head.number(&i, 1, upTo: 2), head.byte(&i, " ")
        else { return nil }
        guard var stamp = time(head, &i, year: 1970, month: month, day: day), head.byte(&i, " "),
            let year = head.number(&i, 4),
            head.byte(&i, "]")
        else { return nil }
        stamp = rebuilt(stamp, year: year)
        return stamp
    }

    /// An Apache httpd access-log time: `[dd/Mon/yyyy:hh:mm:ss(.f)? [+-]hhmm]`.
    private func apacheAccess(_ head: Head, _ start: Int) -> Stamp? {
        var i = start + 1
        guard let day = head.number(&i, 2), head.byte(&i, "/"), let month = head.month(&i), head.byte(&i, "/"),
            let year = head.number(&i, 4), head.byte(&i, ":"),
            var stamp = time(head, &i, year: year, month: month, day: day),
            head.byte(&i, " "), i < head.count, head[i] == UInt8(ascii: "+") || head[i] == UInt8(ascii: "-")
        else { return nil }
        let negative = head[i] == UInt8(ascii: "-")
        i += 1
        guard let hours = head.number(&i, 2), let minutes = head.number(&i, 2), hours < 24, minutes < 60,
            head.byte(&i, "]")
        else { return nil }
        let total = hours * 60 + minutes
        stamp.zoneMinutes = Int16(negative ? -total : total)
        stamp.epoch -= Double((negative ? -total : total) * 60)
        return stamp
    }

    /// `^Mon {1,2}d{1,2} hh:mm:ss(.f)?`, the year the scan date's (or the year before, when that would
    /// put the line more than a day after the scan).
    private func syslog(_ head: Head) -> Stamp? {
        var i = 0
        guard let month = head.month(&i), head.byte(&i, " ") else { return nil }
        _ = head.byte(&i, " ")
        guard let day = head.number(&i, 1, upTo: 2), head.byte(&i, " "),
            let stamp = time(head, &i, year: nowYear, month: month, day: day)
        else { return nil }
        if stamp.epoch > nowEpoch + 86_400 { return rebuilt(stamp, year: nowYear - 1) }
        return stamp
    }

    /// `hh:mm:ss([.,]f{1,9})?` at `i`, with the date given: the stamp (no zone yet), `i` after it.
    private func time(_ head: Head, _ i: inout Int, year: Int, month: Int, day: Int) -> Stamp? {
        guard let hour = head.number(&i, 2), head.byte(&i, ":"), let minute = head.number(&i, 2), head.byte(&i, ":"),
            let second = head.number(&i, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: UInt32 = 0
        var digits: UInt8 = 0
        if i + 1 < head.count, head[i] == UInt8(ascii: ".") || head[i] == UInt8(ascii: ","), head.isDigit(i + 1) {
            i += 1
            while i < head.count, digits < 9, head.isDigit(i) {
                fraction = fraction * 10 + UInt32(head[i] - 0x30)
                digits += 1
                i += 1
            }
        }
        var stamp = Stamp(
            epoch: 0, year: Int32(year), month: UInt8(month), day: UInt8(day), hour: UInt8(hour), minute: UInt8(minute),
            second: UInt8(second), fraction: fraction, fractionDigits: digits, zoneMinutes: nil, zoneIsZ: false)
        stamp.epoch = Self.epoch(stamp)
        return stamp
    }

    private func rebuilt(_ stamp: Stamp, year: Int) -> Stamp {
        var stamp = stamp
        let offset = stamp.epoch - Self.epoch(stamp)
        stamp.year = Int32(year)
        stamp.epoch = Self.epoch(stamp) + offset
        return stamp
    }

    // MARK: Calendar arithmetic

    /// Seconds since 1970 of the stamp's fields read as UTC (out-of-range fields roll over, as a calendar would).
    private static func epoch(_ stamp: Stamp) -> Double {
        let days = daysFromCivil(year: Int(stamp.year), month: Int(stamp.month), day: Int(stamp.day))
        let seconds = days * 86_400 + Int(stamp.hour) * 3600 + Int(stamp.minute) * 60 + Int(stamp.second)
        var fraction = Double(stamp.fraction)
        for _ in 0..<stamp.fractionDigits { fraction /= 10 }
        return Double(seconds) + fraction
    }

    /// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// The first bytes of a line, read by the timestamp scanners.
private struct Head {
    let bytes: UnsafePointer<UInt8>
    let count: Int

    subscript(_ index: Int) -> UInt8 { bytes[index] }

    func isDigit(_ index: Int) -> Bool { index < count && bytes[index] &- 0x30 < 10 }

    /// Exactly `width` digits at `i` (or from `width` up to `upTo` digits), advancing `i`.
    func number(_ i: inout Int, _ width: Int, upTo: Int? = nil) -> Int? {
        var value = 0
        var taken = 0
        let most = upTo ?? width
        while taken < most, isDigit(i + taken) {
            value = value * 10 + Int(bytes[i + taken] - 0x30)
            taken += 1
        }
        guard taken >= width else { return nil }
        i += taken
        return value
    }

    /// The byte `ascii` at `i`, advancing `i`.
    func byte(_ i: inout Int, _ ascii: Unicode.Scalar) -> Bool {
        guard i < count, bytes[i] == UInt8(ascii: ascii) else { return false }
        i += 1
        return true
    }

    private static let months: [(UInt8, UInt8, UInt8)] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { name in
        let b = Array(name.utf8)
        return (b[0], b[1], b[2])
    }
    private static let weekdays: [(UInt8, UInt8, UInt8)] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map {
        name in
        let b = Array(name.utf8)
        return (b[0], b[1], b[2])
    }

    /// A month's English abbreviation at `i` (1…12), advancing `i`.
    func month(_ i: inout Int) -> Int? {
        guard i + 3 <= count else { return nil }
        let key = (bytes[i], bytes[i + 1], bytes[i + 2])
        guard let index = Self.months.firstIndex(where: { $0 == key }) else { return nil }
        i += 3
        return index + 1
    }

    /// A weekday's English abbreviation at `i`, advancing `i`.
    func weekday(_ i: inout Int) -> Bool {
        guard i + 3 <= count else { return false }
        let key = (bytes[i], bytes[i + 1], bytes[i + 2])
        guard Self.weekdays.contains(where: { $0 == key }) else { return false }
        i += 3
        return true
    }
}
