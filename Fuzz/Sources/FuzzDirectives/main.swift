// Parses fuzzer bytes as an httpd or sshd directive file (first byte chooses) and asks for the effective
// value of every directive it found. Checks that entries' lines lie within the text.
import FuzzSupport

@testable import SysScanKit

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    let format: ArtifactKind.Format = first & 1 == 0 ? .httpd : .sshd
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let file = DirectiveFile(text: text, format: format)
    let lines = text.unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    for entry in file.entries {
        if entry.line < 1 || entry.line > lines {
            fatalError("directive \(entry.name) on line \(entry.line) of a \(lines)-line file")
        }
        _ = file.effective(entry.name)
    }
    return 0
}

runFuzzer(fuzz)
