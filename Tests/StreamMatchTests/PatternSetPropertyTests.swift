import Foundation
import PropertyBased
import Testing

@testable import StreamMatch

/// The prefiltered engine against the naive reference (every pattern, PCRE2, every line), on random
/// pattern sets over random lines, at random chunk sizes down to one byte.
struct PatternSetPropertyTests {
    /// Pattern pieces: literals, classes, alternations, case-insensitive parts, anchors, `\b`, repeats,
    /// lookarounds and pieces with no literal at all.
    ///
    /// Any concatenation of them is a valid PCRE2 pattern.
    static let patternPieces = [
        "error", "Error", "failed", "abc", "a.c", "x1", "12", " ", "-", ":", #"\d+"#, #"\d{2}"#, #"\s"#, #"\S*"#, ".*",
        ".", "[ab]", "[^a ]", "[A-C]x", "(err|fail)", "(?:ab)+", "c?", "b*", "^", "$", #"\b"#, #"\bfailed\b"#,
        "(?i)error", "(?i:abc)", #"\Qa.b\E"#, #"\."#, "(?=x)", "(?<name>ab)", "[[:digit:]]", "x{2,3}", "(a|)", #"\x41"#,
        "(?!fail)", "timeout after", "ORA-0", "[Tt]o-space", "(Full|Young) GC", "{", "a{,2}",
    ]

    /// Line pieces that the patterns above often (not always) match.
    static let linePieces: [[UInt8]] =
        [
            "error", "Error", "ERROR", "failed", "abc", "ABC", "a.c", "axc", "x1", "xx", "xxx", "12", "123", " ", "-",
            ":",
            "ab", "abab", "a.b", "A", "c", "\t", "fail", "timeout after 30", "ORA-01000", "To-space", "to-space",
            "Full GC", "Young GC", "{", "a{,2}", "TIMEOUT AFTER",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x00], [0x0D]]

    static func piece<T: Sendable>(_ pieces: [T]) -> Generator<T, Shrink.Integer<Int>> {
        Gen.int(in: 0...(pieces.count - 1)).map { pieces[$0] }
    }

    static let patternGen = piece(patternPieces).array(of: 1...4).map { (parts: [String]) in parts.joined() }
    static let patternSetGen = zip(patternGen, Gen.bool(0.2)).map { (source: String, caseInsensitive: Bool) in
        Pattern(source, caseInsensitive: caseInsensitive)
    }.array(of: 1...12)
    static let lineGen = piece(linePieces).array(of: 0...12).map { (parts: [[UInt8]]) -> [UInt8] in parts.flatMap { $0 }
    }
    static let inputGen = zip(lineGen.array(of: 1...30), Gen.bool(0.3)).map {
        (lines: [[UInt8]], crlf: Bool) -> [UInt8] in
        let end: [UInt8] = crlf ? [0x0D, 0x0A] : [0x0A]
        return lines.flatMap { (line: [UInt8]) -> [UInt8] in line + end }
    }

    @Test func thePrefilteredEngineFindsExactlyWhatEveryLineByPCRE2Finds() async {
        await propertyCheck(count: 400, input: Self.patternSetGen, Self.inputGen, Gen.int(in: 1...64)) {
            (patterns: [Pattern], input: [UInt8], chunk: Int) in
            let expected = try naive(patterns, input)
            let longest = input.split(separator: 0x0A, omittingEmptySubsequences: false).map(\.count).max() ?? 1
            for size in [chunk, max(1, longest + 1), 4096] {
                let sink = try search(patterns, input, chunkSize: size)
                #expect(sink.hits == expected, "chunk size \(size), patterns \(patterns.map(\.source))")
            }
            // Re-planned on a survey of the first block, whatever its size.
            let surveyed = try search(patterns, input, chunkSize: chunk, surveyMinimum: 1)
            #expect(surveyed.hits == expected, "surveyed, chunk size \(chunk), patterns \(patterns.map(\.source))")
        }
    }

    @Test func firstMatchPerLineFindsExactlyTheMatchingLines() async {
        await propertyCheck(count: 300, input: Self.patternSetGen, Self.inputGen, Gen.int(in: 1...64)) {
            (patterns: [Pattern], input: [UInt8], chunk: Int) in
            let expected = Set(try naive(patterns, input).map(\.line))
            let literals = patterns.map {
                Pattern($0.source, caseInsensitive: $0.caseInsensitive, isLiteral: $0.source.count % 2 == 0)
            }
            let expectedMixed = Set(try naive(literals, input).map(\.line))
            for (set, lines) in [(patterns, expected), (literals, expectedMixed)] {
                let compiled = try PatternSet(set)
                for surveyMinimum in [PatternSet.surveyMinimum, 1] {
                    var searcher = LineSearcher(
                        matcher: compiled.makeSession(firstMatchPerLine: true, surveyMinimum: surveyMinimum))
                    let sink = feed(input, chunkSize: chunk, to: &searcher)
                    #expect(
                        sink.hits.map(\.line) == lines.sorted(), "patterns \(set), survey from \(surveyMinimum) bytes")
                }
            }
        }
    }

    @Test func literalSetsMatchLikeFixedStrings() async {
        let printable = Self.linePieces.filter { $0.allSatisfy { $0 < 0x80 && $0 != 0x0D && $0 != 0 } }
        let literalGen = Self.piece(printable).array(of: 1...3).map { (parts: [[UInt8]]) in
            String(decoding: parts.flatMap { $0 }, as: UTF8.self)
        }
        let setGen = zip(literalGen, Gen.bool(0.3)).map { (source: String, caseInsensitive: Bool) in
            Pattern(source, caseInsensitive: caseInsensitive, isLiteral: true)
        }.array(of: 1...20)
        await propertyCheck(count: 300, input: setGen, Self.inputGen, Gen.int(in: 1...64)) {
            (patterns: [Pattern], input: [UInt8], chunk: Int) in
            let expected = try naive(patterns, input)
            let sink = try search(patterns, input, chunkSize: chunk)
            #expect(sink.hits == expected, "patterns \(patterns.map(\.source))")
        }
    }

    @Test(
        arguments: [
            (
                #"Out of memory: Kill(ed)? process \d+"#,
                [["Out of memory: Kill process ", "Out of memory: Killed process "]]
            ),
            (
                #"(?i)OutOfMemoryError: (Java heap space|Metaspace)"#,
                [["outofmemoryerror: java heap space", "outofmemoryerror: metaspace"]]
            ),
            (#"AH00(161|484): server reached"#, [["AH00161: server reached", "AH00484: server reached"]]),
            (#"^\s*at com\.example"#, [["at com.example"]]),
            (#"\d{3}"#, []),
            (#"foo|\d+"#, []),
            (
                #"[Tt]o-space (exhausted|overflow)"#,
                [["To-space exhausted", "To-space overflow", "to-space exhausted", "to-space overflow"]]
            ),
            (#"a(?=b)c"#, [["ac"]]),
            (#"(?<x>a)\k<x>bc"#, [["a"], ["bc"]]),
            (#"error(?i:abc)"#, [["errorabc"]]),
        ] as [(String, [[String]])])
    func literalRequirementsAreExtractedConservatively(pattern: String, expected: [[String]]) throws {
        let set = try PatternSet([Pattern(pattern)])
        let groups = set.requirements[0].groups.map { $0.map { String(decoding: $0, as: UTF8.self) }.sorted() }
        #expect(groups == expected.map { $0.sorted() })
    }

    @Test func onlyUniformlyCasedLiteralPatternsSkipConfirmation() throws {
        let set = try PatternSet([
            Pattern("error(?i:abc)"), Pattern("(?i)error"), Pattern("error", caseInsensitive: true), Pattern("a|b"),
        ])
        #expect(set.requirements.map(\.isExactLiteral) == [false, true, true, true])
    }

    @Test func patternsWithoutALiteralAreReportedAsUnfiltered() throws {
        let set = try PatternSet([Pattern("timeout after"), Pattern(#"\d{3}-\d{4}"#), Pattern("ab")])
        #expect(set.unfiltered == [1, 2])
        #expect(set.atomCount == 1)
    }
}
