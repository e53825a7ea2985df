import Foundation
import Testing

@testable import SysScanKit

struct TimestampParserTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-24T12:00:00Z")!

    @Test(arguments: [
        ("2026-11-20 10:15:30,123 ERROR [main] boom", "2026-11-20T10:15:30.123"),
        ("[2026-11-20T10:15:30.123+0100][1.234s][info][gc] Pause Full", "2026-11-20T10:15:30.123+01:00"),
        ("20-Nov-2026 10:15:30.123 SEVERE [main] org.apache.catalina.startup.Catalina.start", "2026-11-20T10:15:30.123"),
        ("[Fri Nov 20 10:15:30.123456 2026] [mpm_event:error] [pid 42] AH00484: server reached MaxRequestWorkers", "2026-11-20T10:15:30.123456"),
        ("203.0.113.9 - - [20/Nov/2026:10:15:30 +0000] \"GET / HTTP/1.1\" 200 45", "2026-11-20T10:15:30+00:00"),
        ("Nov 20 10:15:30 appnode-01 kernel: Out of memory: Killed process 4242 (java)", "2026-11-20T10:15:30"),
        ("Dec 31 23:59:59 appnode-01 sshd[1]: Failed password", "2025-12-31T23:59:59"),
    ])
    func commonLogFormatsGiveISOTimestamps(line: String, expected: String) {
        let stamp = Array(line.utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) }
        #expect(stamp?.text == expected)
    }

    @Test func linesWithoutATimestampGiveNone() {
        let stamp = Array("\tat com.example.Cache.put(Cache.java:42)".utf8).withUnsafeBytes { TimestampParser(now: Self.now).parse($0) }
        #expect(stamp == nil)
    }
}
