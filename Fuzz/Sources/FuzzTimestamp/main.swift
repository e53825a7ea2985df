import Foundation
// Parses the timestamp at the start of a fuzzer-chosen log line. Checks that a stamp found is a valid
// calendar moment, and that its ISO 8601 text parses back to the same moment.
import FuzzSupport

@testable import SysScanKit

nonisolated let parser = TimestampParser(now: Date(timeIntervalSince1970: 1_795_000_000))

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let stamp = bytes.withUnsafeBytes({ parser.parse($0) }) else { return 0 }
    guard (1...12).contains(stamp.month), (1...31).contains(stamp.day), stamp.hour < 24, stamp.minute < 60,
        stamp.second <= 60
    else {
        fatalError("out-of-range stamp \(stamp) from \(bytes)")
    }
    let text = Array(stamp.text.utf8)
    let again = text.withUnsafeBytes { parser.parse($0) }
    guard let again, again.epoch == stamp.epoch else {
        fatalError("stamp text \(stamp.text) does not parse back to \(stamp.epoch): \(String(describing: again))")
    }
    return 0
}

runFuzzer(fuzz)
