// Extracts JVM options from a fuzzer-chosen command line, as the scanner does for every line of a
// process listing, and reads each value as a number or size.
import FuzzSupport

@testable import SysScanKit

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let line = String(decoding: bytes, as: UTF8.self)
    for option in JVMOptions.options(in: line) {
        _ = JVMOptions.isKnownForm(option.key)
        _ = JVMOptions.key(of: option.key)
        _ = JVMOptions.literals(for: option.key)
        _ = JVMOptions.number(option.value)
    }
    return 0
}

runFuzzer(fuzz)
