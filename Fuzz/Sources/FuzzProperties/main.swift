// Parses fuzzer bytes as a Java `.properties` file. Invalid UTF-8 is repaired the way the scanner
// repairs it. Checks that every entry's line lies within the text.
import FuzzSupport

@testable import SysScanKit

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    let file = PropertiesFile(text: text)
    let lines = text.unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    for (key, entry) in file.entries where entry.line < 1 || entry.line > lines {
        fatalError("key \(key) set on line \(entry.line) of a \(lines)-line file")
    }
    return 0
}

runFuzzer(fuzz)
