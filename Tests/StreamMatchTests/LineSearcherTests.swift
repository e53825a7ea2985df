import Testing

@testable import StreamMatch

/// Collects every match a searcher pushes, as (pattern, line number, byte offset, text).
final class RecordingSink: MatchSink {
    struct Hit: Equatable, CustomStringConvertible {
        var pattern: Int
        var line: Int
        var offset: Int
        var text: String
        var description: String { "p\(pattern)@\(line)+\(offset):\(text)" }
    }

    var hits: [Hit] = []
    var overlong: [Int] = []
    var stopAfter: Int?

    func matched(_ match: LineMatch) -> SinkAction {
        hits.append(
            Hit(
                pattern: match.pattern, line: match.lineNumber, offset: match.byteOffset,
                text: String(decoding: match.line, as: UTF8.self)))
        if let stopAfter, hits.count >= stopAfter { return .stop }
        return .continue
    }

    func overlongLine(lineNumber: Int, byteOffset: Int) { overlong.append(lineNumber) }
}

/// Runs `patterns` over `input` fed in chunks of `chunkSize` bytes; with `surveyMinimum`, the session
/// re-plans its filter on the first block of at least that many bytes.
func search(
    _ patterns: [Pattern], _ input: [UInt8], chunkSize: Int, maxLineLength: Int = 1 << 20, surveyMinimum: Int? = nil
) throws -> RecordingSink {
    let set = try PatternSet(patterns)
    let session =
        surveyMinimum.map { set.makeSession(firstMatchPerLine: false, surveyMinimum: $0) } ?? set.makeSession()
    var searcher = LineSearcher(matcher: session, maxLineLength: maxLineLength)
    return feed(input, chunkSize: chunkSize, to: &searcher)
}

/// Feeds `input` to `searcher` in chunks of `chunkSize` bytes, then finishes; returns what it found.
func feed<Matcher: BlockMatcher>(_ input: [UInt8], chunkSize: Int, to searcher: inout LineSearcher<Matcher>)
    -> RecordingSink
{
    let sink = RecordingSink()
    input.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkSize)
            searcher.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), to: sink)
            offset = end
        }
    }
    searcher.finish(to: sink)
    return sink
}

/// The reference: every pattern on every line, split naively, CR stripped.
func naive(_ patterns: [Pattern], _ input: [UInt8]) throws -> [RecordingSink.Hit] {
    let regexes = try patterns.map { try CompiledRegex($0) }
    let states = try regexes.map { try #require($0.makeMatchState()) }
    var hits: [RecordingSink.Hit] = []
    var lineStart = 0
    var lineNumber = 0
    while lineStart < input.count {
        lineNumber += 1
        let newline = input[lineStart...].firstIndex(of: 0x0A)
        var end = newline ?? input.count
        if end > lineStart, input[end - 1] == 0x0D { end -= 1 }
        let line = Array(input[lineStart..<end])
        line.withUnsafeBytes { bytes in
            for (index, regex) in regexes.enumerated() where regex.matches(bytes, state: states[index]) {
                hits.append(
                    .init(
                        pattern: index, line: lineNumber, offset: lineStart, text: String(decoding: line, as: UTF8.self)
                    ))
            }
        }
        lineStart = (newline ?? input.count) + 1
    }
    return hits
}

struct LineSearcherTests {
    static let log = Array(
        """
        2026-11-20 10:15:30,123 INFO  [main] Server startup in [4567] milliseconds\r
        2026-11-20 10:16:01,004 ERROR [http-nio-8080-exec-3] java.lang.OutOfMemoryError: Java heap space
        \tat com.example.Cache.put(Cache.java:42)
        20-Nov-2026 10:17:00.000 WARNING [Catalina-utility-1] StuckThreadDetectionValve: Thread [exec-7] has been active for [61,234] milliseconds and may be stuck
        short
        x
        2026-11-20 10:18:00,000 ERROR ORA-01000: maximum open cursors exceeded\r
        last line without newline: OutOfMemoryError: Metaspace
        """.utf8)

    static let patterns = [
        Pattern("OutOfMemoryError: (Java heap space|Metaspace)"),
        Pattern(#"may be stuck$"#),
        Pattern("ora-0\\d{4}", caseInsensitive: true),
        Pattern("^x$"),
        Pattern(#"\bshort\b"#),
    ]

    @Test(
        "every chunk size, 1 byte upward, finds what the naive reference finds",
        arguments: Array(1...48) + [64, 100, 257, 4096])
    func everyChunkSizeMatchesTheReference(chunkSize: Int) throws {
        let expected = try naive(Self.patterns, Self.log)
        #expect(expected.count == 6)
        let sink = try search(Self.patterns, Self.log, chunkSize: chunkSize)
        #expect(sink.hits == expected)
    }

    @Test func lineNumbersAndOffsetsCountEveryLine() throws {
        let sink = try search([Pattern("ORA-01000")], Self.log, chunkSize: 7)
        let hit = try #require(sink.hits.first)
        #expect(hit.line == 7)
        #expect(Array(Self.log[hit.offset..<(hit.offset + 10)]) == Array("2026-11-20".utf8))
    }

    @Test func crlfIsNotPartOfTheLine() throws {
        let sink = try search([Pattern("milliseconds$")], Self.log, chunkSize: 5)
        #expect(sink.hits.map(\.line) == [1])
        #expect(sink.hits.first?.text.hasSuffix("\r") == false)
    }

    @Test func invalidUTF8AndNULBytesAreOrdinaryBytes() throws {
        let input: [UInt8] = Array("a\u{0}b ERROR ".utf8) + [0xFF, 0xFE, 0xC3] + Array(" tail\nok ERROR\n".utf8)
        let sink = try search([Pattern("ERROR .* tail")], input, chunkSize: 3)
        #expect(sink.hits.map(\.line) == [1])
    }

    @Test func anOverlongLineIsMatchedOnItsFirstPartAndReported() throws {
        let long = Array(repeating: UInt8(ascii: "a"), count: 300) + Array("NEEDLE-LATE\nshort NEEDLE-EARLY\n".utf8)
        let input = Array("NEEDLE-EARLY ".utf8) + long
        let sink = try search(
            [Pattern("NEEDLE-EARLY"), Pattern("NEEDLE-LATE")], input, chunkSize: 16, maxLineLength: 64)
        #expect(sink.overlong == [1])
        #expect(sink.hits.map(\.pattern) == [0, 0])
        #expect(sink.hits.map(\.line) == [1, 2])
    }

    @Test func aSinkCanStopTheSearch() throws {
        let set = try PatternSet([Pattern("e")])
        var searcher = LineSearcher(matcher: set.makeSession())
        let sink = RecordingSink()
        sink.stopAfter = 2
        Self.log.withUnsafeBytes { searcher.feed($0, to: sink) }
        searcher.finish(to: sink)
        #expect(sink.hits.count == 2)
        #expect(searcher.isStopped)
    }

    @Test func emptyInputAndEmptyLinesFindNothing() throws {
        #expect(try search([Pattern("x")], [], chunkSize: 4).hits.isEmpty)
        #expect(try search([Pattern("x")], Array("\n\n\r\n".utf8), chunkSize: 1).hits.isEmpty)
    }
}
