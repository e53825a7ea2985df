import Testing

@testable import StreamMatch

/// Feeds `input` to `searcher` in chunks of `chunk` bytes, then finishes, pushing to `sink`.
func feedInChunks<Matcher: BlockMatcher>(
    _ input: [UInt8], _ chunk: Int, _ searcher: inout LineSearcher<Matcher>, _ sink: some MatchSink
) {
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset + chunk)
        input[offset..<end].withUnsafeBytes { searcher.feed($0, to: sink) }
        offset = end
    }
    searcher.finish(to: sink)
}

/// Every match reaches the sink with the same context lines whatever the chunk size: the lines before
/// and after it, as the whole input has them.
struct ContextLinesTests {
    final class ContextSink: MatchSink {
        var seen: [String] = []
        let count: Int
        init(count: Int) { self.count = count }
        func matched(_ match: LineMatch) -> SinkAction {
            let context = match.context(count).map { "\($0.offset):\(String(decoding: $0.bytes, as: UTF8.self))" }
            seen.append("\(match.lineNumber)[\(context.joined(separator: "|"))]")
            return .continue
        }
    }

    /// What a match on line `number` (from 1) of `lines` must see.
    static func expected(_ lines: [String], _ number: Int, _ count: Int) -> String {
        let index = number - 1
        let before = (max(0, index - count)..<index).map { "\($0 - index):\(lines[$0])" }
        let after = (index + 1..<min(lines.count, index + 1 + count)).map { "\($0 - index):\(lines[$0])" }
        return "\(number)[\((before + after).joined(separator: "|"))]"
    }

    @Test(arguments: [1, 2, 3])
    func contextIsTheSameAtEveryChunkSize(count: Int) throws {
        var generator = Xorshift(seed: UInt64(count) * 7919)
        var lines: [String] = []
        for index in 0..<300 {
            let length = Int(generator.next() % 40)
            let word = generator.next() % 5 == 0 ? "HIT" : "miss"
            lines.append("\(index) \(word) " + String(repeating: "x", count: length))
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let expected = lines.indices.filter { lines[$0].contains("HIT") }.map { Self.expected(lines, $0 + 1, count) }
        let set = try PatternSet([Pattern("HIT")])
        for chunk in [1, 2, 3, 5, 7, 13, 31, 64, 100, 257, 4096, input.count] {
            var searcher = LineSearcher(matcher: set.makeSession(), contextLines: count)
            let sink = ContextSink(count: count)
            feedInChunks(input, chunk, &searcher, sink)
            #expect(sink.seen == expected, "chunk \(chunk)")
        }
    }

    /// More lines before a match than after it (a record's first line dates a matched line below it).
    final class BeforeSink: MatchSink {
        var seen: [String] = []
        let before: Int
        let after: Int
        init(before: Int, after: Int) {
            self.before = before
            self.after = after
        }
        func matched(_ match: LineMatch) -> SinkAction {
            var lines: [String] = []
            match.forEachLineBefore(before) { offset, bytes in
                lines.insert("\(offset):\(String(decoding: bytes, as: UTF8.self))", at: 0)
                return true
            }
            let next = match.context(after).filter { $0.offset > 0 }
            lines += next.map { "\($0.offset):\(String(decoding: $0.bytes, as: UTF8.self))" }
            seen.append("\(match.lineNumber)[\(lines.joined(separator: "|"))]")
            return .continue
        }
    }

    @Test(arguments: [(8, 1), (5, 0), (3, 2)])
    func linesBeforeAreTheSameAtEveryChunkSize(before: Int, after: Int) throws {
        var generator = Xorshift(seed: UInt64(before * 31 + after))
        var lines: [String] = []
        for index in 0..<300 {
            let length = Int(generator.next() % 40)
            let word = generator.next() % 6 == 0 ? "HIT" : "miss"
            lines.append("\(index) \(word) " + String(repeating: "x", count: length))
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let expected = lines.indices.filter { lines[$0].contains("HIT") }.map { index in
            let earlier = (max(0, index - before)..<index).map { "\($0 - index):\(lines[$0])" }
            let later = (index + 1..<min(lines.count, index + 1 + after)).map { "\($0 - index):\(lines[$0])" }
            return "\(index + 1)[\((earlier + later).joined(separator: "|"))]"
        }
        let set = try PatternSet([Pattern("HIT")])
        for chunk in [1, 2, 3, 5, 7, 13, 31, 64, 100, 257, 4096, input.count] {
            var searcher = LineSearcher(matcher: set.makeSession(), linesBefore: before, linesAfter: after)
            let sink = BeforeSink(before: before, after: after)
            feedInChunks(input, chunk, &searcher, sink)
            #expect(sink.seen == expected, "chunk \(chunk)")
        }
    }

    struct Xorshift {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }
}

/// A pattern's capture group reaches the sink from the confirmation that found the line.
struct CaptureHandOverTests {
    final class CaptureSink: MatchSink {
        var captured: [String] = []
        func matched(_ match: LineMatch) -> SinkAction {
            captured.append(match.capture.map { String(decoding: match.line[$0], as: UTF8.self) } ?? "-")
            return .continue
        }
    }

    @Test(arguments: [0, 2])
    func theCaptureOfEveryMatchIsHandedOverAtEveryChunkSize(context: Int) throws {
        let lines = (0..<200).map { index in
            index % 3 == 0 ? "GC(\(index)) Pause Young 24M->11M(256M) \(index).\(index % 10)ms" : "other \(index)"
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let expected = lines.filter { $0.hasPrefix("GC(") }.map { line in
            String(line.split(separator: " ").last?.dropLast(2) ?? "")
        }
        let set = try PatternSet([
            Pattern(#"GC\(\d+\) Pause Young .* (?<ms>\d+\.\d+)ms"#, capture: "ms"), Pattern("other"),
        ])
        #expect(set.captureGroups == [1, nil])
        for chunk in [1, 3, 17, 64, 4096] {
            var searcher = LineSearcher(matcher: set.makeSession(), contextLines: context)
            let sink = CaptureSink()
            feedInChunks(input, chunk, &searcher, sink)
            #expect(sink.captured.filter { $0 != "-" } == expected, "chunk \(chunk)")
            #expect(sink.captured.count == lines.count, "chunk \(chunk)")
        }
    }
}
