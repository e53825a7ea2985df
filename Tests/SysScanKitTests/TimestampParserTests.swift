import Foundation
import Testing

@testable import SysScanKit

struct TimestampParserTests {
    static let now = Date(timeIntervalSince1970: 1_795_521_600)  // 2026-11-24T12:00:00Z

    @Test(arguments: [
        ("2026-11-20 10:15:30,123 ERROR [main] boom", "2026-11-20T10:15:30.123"),
        ("[2026-11-20T10:15:30.123+0100][1.234s][info][gc] Pause Full", "2026-11-20T10:15:30.123+01:00"),
        (
            "20-Nov-2026 10:15:30.123 SEVERE [main] org.apache.catalina.startup.Catalina.start",
            "2026-11-20T10:15:30.123"
        ),
        (
            "[Fri Nov 20 10:15:30.123456 2026] [mpm_event:error] [pid 42] AH00484: server reached MaxRequestWorkers",
            "2026-11-20T10:15:30.123456"
        ),
        ("203.0.113.9 - - [20/Nov/2026:10:15:30 +0000] \"GET / HTTP/1.1\" 200 45", "2026-11-20T10:15:30+00:00"),
        ("Nov 20 10:15:30 appnode-01 kernel: Out of memory: Killed process 4242 (java)", "2026-11-20T10:15:30"),
        ("Dec 31 23:59:59 appnode-01 sshd[1]: Failed password", "2025-12-31T23:59:59"),
    ])
    func commonLogFormatsGiveISOTimestamps(line: String, expected: String) {
        let stamp = Array(line.utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) }
        #expect(stamp?.text == expected)
    }

    /// The moment of each format against Foundation's own ISO 8601 reading of the expected text.
    @Test(arguments: [
        ("[2026-11-20T10:15:30.123+0100][gc] Pause", "2026-11-20T09:15:30.123Z"),
        ("2026-02-28T23:59:59.5-05:30 x", "2026-03-01T05:29:59.500Z"),
        ("203.0.113.9 - - [29/Feb/2024:00:00:01 -0200] \"GET /\"", "2024-02-29T02:00:01.000Z"),
        ("20-Nov-2026 10:15:30.123 SEVERE", "2026-11-20T10:15:30.123Z"),
        ("Jan  5 01:02:03 host cron[1]: x", "2026-01-05T01:02:03.000Z"),
    ])
    func theMomentIsTheInstantTheLineStates(line: String, expectedUTC: String) throws {
        let stamp = try #require(Array(line.utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) })
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let expected = try #require(formatter.date(from: expectedUTC))
        #expect(abs(stamp.date.timeIntervalSince(expected)) < 0.000_5, "\(stamp.date) vs \(expected)")
    }

    @Test(arguments: [
        "2026-13-20 10:15:30 month 13", "2026-11-20 25:15:30 hour 25", "20-Foo-2026 10:15:30",
        "[Fri Nov 20 10:15:30 20]",
        "Nov 20 10:15", "1202611-20 10:15:30",
    ])
    func malformedStampsGiveNone(line: String) {
        let stamp = Array(line.utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) }
        #expect(stamp == nil, "\(line) gave \(stamp?.text ?? "")")
    }

    /// From 1601 on (Foundation's Gregorian calendar is Julian before October 1582) over four centuries.
    @Test func calendarArithmeticAgreesWithFoundationOverFourCenturies() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let start = TimestampParser.daysFromCivil(year: 1601, month: 1, day: 1)
        for days in stride(from: start, through: start + 146_097, by: 97) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = TimestampParser.civil(fromDays: days)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "day \(days)")
            #expect(TimestampParser.daysFromCivil(year: civil.year, month: civil.month, day: civil.day) == days)
        }
    }

    @Test(arguments: [
        ("548.922", 548.922), ("1,234.5", 1234.5), ("0.5", 0.5), ("-0.25", -0.25), ("7", 7.0), ("1e3", 1000.0),
    ])
    func capturedNumbersAreReadFromTheirBytes(text: String, value: Double) {
        #expect(Array(text.utf8).withUnsafeBytes { LogRuleSink.number($0) } == value)
    }

    @Test func linesWithoutATimestampGiveNone() {
        let stamp = Array("\tat com.example.Cache.put(Cache.java:42)".utf8).withUnsafeBytes {
            TimestampParser(now: Self.now).parse($0)
        }
        #expect(stamp == nil)
    }

    /// Fields out of range are no timestamp.
    ///
    /// Regression: `10:65:30` was read as 11:05:30, and a `+9999` zone shifted the moment by four days and
    /// gave unreadable ISO text. Inputs found by `Fuzz/run.sh` (FuzzTimestamp).
    @Test(arguments: [
        "1 n1.520 INFO [main] org.apac2027-11-20 10:65:30,123He.cat-11-20 10:15.0.30.0",
        "2026-11-20 10:15:61 ERROR x",
        "1016-04-[20/Nov/2026:10:15:30 +9999]",
        "203.0.113.9 - - [20/Nov/2026:10:15:30 +0060] \"GET / HTTP/1.1\" 200 45",
    ])
    func fieldsOutOfRangeAreNoTimestamp(line: String) {
        let stamp = Array(line.utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) }
        #expect(stamp == nil)
    }

    /// An ISO offset past a day is no zone.
    ///
    /// Regression: it was kept as the zone. Found by FuzzTimestamp.
    @Test func anISOOffsetPastADayIsNoZone() {
        let stamp = Array("2026-11-20T10:15:30+99:99 x".utf8).withUnsafeBytes {
            TimestampParser(now: Self.now).parse($0)
        }
        #expect(stamp?.text == "2026-11-20T10:15:30")
    }
}
