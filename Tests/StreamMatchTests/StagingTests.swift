import PropertyBased
import Testing

@testable import StreamMatch

/// Staged patterns: many patterns that share a group (a failure word after a template) track the
/// shared group, and their own groups are found by a second filter on the lines where it occurs.
struct StagingTests {
    /// Template pieces, each common in the inputs below, and failure words, rarer.
    static let templates = [
        "Receiving block", "session opened", "Connection closed", "user root", #"blk_\d+"#, #"port \d+"#,
        "(GET|POST) /index", "(?i)served block", "Verification succeeded",
    ]
    static let words = ["error", "failed", "timeout", "(?i)denied", "lost"]

    static let lineWords = [
        "Receiving block", "session opened", "Connection closed", "user root", "blk_12", "port 22", "GET /index",
        "POST /index", "SERVED BLOCK", "Verification succeeded", "error", "ERROR", "failed", "timeout", "DENIED",
        "denied",
        "lost", " ", "x", ": ",
    ]

    static func piece<T: Sendable>(_ pieces: [T]) -> Generator<T, Shrink.Integer<Int>> {
        Gen.int(in: 0...(pieces.count - 1)).map { pieces[$0] }
    }

    /// `T.*word`, `word.*T`, or two template pieces and a word.
    static let patternGen = zip(piece(templates), piece(templates), piece(words), Gen.int(in: 0...2)).map {
        (first: String, second: String, word: String, shape: Int) -> Pattern in
        switch shape {
        case 0:
            Pattern(
                first + ".*" + word.replacingOccurrences(of: "(?i)", with: ""), caseInsensitive: word.hasPrefix("(?i)"))
        case 1: Pattern(word + ".*" + first)
        default: Pattern(first + ".*" + second + ".*" + word)
        }
    }
    static let inputGen = piece(lineWords).array(of: 0...6).map { (parts: [String]) in parts.joined(separator: " ") }
        .array(of: 20...120)
        .map { (lines: [String]) -> [UInt8] in Array(lines.joined(separator: "\n").utf8) + [0x0A] }

    /// Runs `patterns` over `input` with the survey forced on the first block.
    static func surveyed(_ patterns: [Pattern], _ input: [UInt8], firstMatch: Bool, chunk: Int) throws -> (
        RecordingSink, staged: Bool
    ) {
        let set = try PatternSet(patterns)
        var searcher = LineSearcher(matcher: set.makeSession(firstMatchPerLine: firstMatch, surveyMinimum: 1))
        let sink = feed(input, chunkSize: chunk, to: &searcher)
        return (sink, !searcher.matcher.plan.stages.isEmpty)
    }

    @Test func patternsSharingACommonWordAreStagedAndFindWhatPCRE2Finds() throws {
        // Forty templates, each on many lines; the word they share on a few.
        let patterns = (0..<40).map { Pattern("template \($0) text.*error") }
        var lines: [String] = []
        for line in 0..<2_000 {
            lines.append("template \(line % 40) text value \(line)" + (line % 97 == 0 ? " error" : ""))
        }
        lines.append("error before template 3 text")
        let input = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        let expected = try naive(patterns, input)
        #expect(expected.count == 21)
        for firstMatch in [false, true] {
            let (sink, staged) = try Self.surveyed(patterns, input, firstMatch: firstMatch, chunk: input.count)
            #expect(staged)
            #expect(sink.hits.map(\.line) == expected.map(\.line))
            if !firstMatch { #expect(sink.hits == expected) }
        }
    }

    @Test func aLineWithMoreStagedLiteralsThanOneFetchHoldsIsSearchedWhole() throws {
        // The stage filter fetches a line's occurrences in one buffer; a line with more of them than it
        // holds is searched again the slower way, and must still find the pattern of its last one.
        let patterns = (0..<40).map { Pattern("template \($0) text.*error") }
        var lines = (0..<2_000).map { "template \($0 % 40) text value \($0)" + ($0 % 97 == 0 ? " error" : "") }
        let crowded = String(repeating: "template 5 text ", count: HitScratch.lineAtomCapacity + 6)
        lines.append(crowded + "template 9 text error")
        let input = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        let expected = try naive(patterns, input)
        #expect(expected.filter { $0.line == 2_001 }.map(\.pattern) == [5, 9])
        for firstMatch in [false, true] {
            let (sink, staged) = try Self.surveyed(patterns, input, firstMatch: firstMatch, chunk: input.count)
            #expect(staged)
            // First-match mode reports one pattern a line.
            #expect(sink.hits.map(\.line) == (firstMatch ? expected.map(\.line).dropLast() : expected.map(\.line)))
            if !firstMatch { #expect(sink.hits == expected) }
        }
    }

    @Test func aWordRarerThanEachTemplateIsNotStaged() throws {
        // Two patterns share "error", which is on every line: tracking it would cost more.
        let patterns = [Pattern("alpha value.*error"), Pattern("beta value.*error")]
        let input =
            Array((0..<500).map { "line \($0) error" + ($0 == 7 ? " alpha value" : "") }.joined(separator: "\n").utf8)
            + [0x0A]
        let (sink, staged) = try Self.surveyed(patterns, input, firstMatch: false, chunk: input.count)
        #expect(!staged)
        #expect(sink.hits == (try naive(patterns, input)))
    }

    @Test func stagedSearchesFindExactlyWhatEveryLineByPCRE2Finds() async {
        let patternSetGen = Self.patternGen.array(of: 2...40)
        final class Tally: @unchecked Sendable { var staged = 0 }
        let tally = Tally()
        await propertyCheck(count: 200, input: patternSetGen, Self.inputGen, Gen.int(in: 1...200)) {
            (patterns: [Pattern], input: [UInt8], chunk: Int) in
            let expected = try naive(patterns, input)
            let (all, staged) = try Self.surveyed(patterns, input, firstMatch: false, chunk: chunk)
            #expect(all.hits == expected, "patterns \(patterns.map(\.source))")
            let (first, _) = try Self.surveyed(patterns, input, firstMatch: true, chunk: chunk)
            #expect(
                first.hits.map(\.line) == Array(Set(expected.map(\.line))).sorted(),
                "first match, patterns \(patterns.map(\.source))")
            if staged { tally.staged += 1 }
            // With a pattern that has no literal, every line is walked (staged groups still apply).
            let withUnfiltered = patterns + [Pattern(#"x \d"#)]
            let (walked, _) = try Self.surveyed(
                withUnfiltered, input + Array("x 1\n".utf8), firstMatch: false, chunk: chunk)
            #expect(
                walked.hits == (try naive(withUnfiltered, input + Array("x 1\n".utf8))),
                "with an unfiltered pattern, \(patterns.map(\.source))")
        }
        // The generator is meant to exercise staging: most sets share a word.
        #expect(tally.staged > 20)
    }
}
