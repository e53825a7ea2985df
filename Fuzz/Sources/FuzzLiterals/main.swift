// Checks the literal prefilter against PCRE2: for a pattern and a line chosen by the fuzzer, when the
// compiled regex alone matches the line, a `PatternSet` holding the pattern must report the line. A
// line dropped there is a finding silently lost, so the target stops with a crash.
//
// Input: flags byte, pattern, 0x00, line. Flag bit 0 makes the pattern case-insensitive, bit 1 adds
// decoy patterns (so the set builds a multi-pattern filter), bit 2 turns off adaptive planning.
import FuzzSupport
import StreamMatch

nonisolated let decoys = [Pattern("ERROR"), Pattern("(?i)exception in thread"), Pattern("timed? ?out after \\d+")]

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let flags = bytes.first, let split = bytes.dropFirst().firstIndex(of: 0) else { return 0 }
    let patternBytes = bytes[1..<split]
    // The searcher hands out lines without their end: a line never holds `\n`.
    let line = Array(bytes[(split + 1)...].prefix { $0 != 0x0A })
    guard let source = String(validating: patternBytes, as: UTF8.self) else { return 0 }
    let pattern = Pattern(source, caseInsensitive: flags & 1 != 0)
    guard let regex = try? CompiledRegex(pattern), let state = regex.makeMatchState() else { return 0 }
    let matched = line.withUnsafeBytes { regex.matches($0, state: state) }
    guard matched else { return 0 }
    let patterns = flags & 2 != 0 ? decoys + [pattern] : [pattern]
    guard let set = try? PatternSet(patterns) else {
        fatalError("PCRE2 compiles /\(source)/ alone but the pattern set refuses it")
    }
    var session = set.makeSession(adaptive: flags & 4 == 0)
    var reported = false
    let block = line + [0x0A]
    _ = block.withUnsafeBytes { buffer in
        session.scan(block: buffer) { hit in
            if hit.pattern == patterns.count - 1 { reported = true }
            return true
        }
    }
    if !reported {
        fatalError(
            "prefilter dropped a line PCRE2 matches: pattern /\(source)/ (flags \(flags)), line \(line)")
    }
    return 0
}

runFuzzer(fuzz)
