import Testing

@testable import StreamMatch

/// The literals `LiteralExtractor` requires of the lines a pattern matches.
struct LiteralExtractorTests {
    /// The requirements of `pattern` as sorted strings, group by group.
    static func groups(_ pattern: Pattern) -> [[String]] {
        LiteralExtractor.requirements(of: pattern).groups.map { group in
            group.map { String(decoding: $0, as: UTF8.self) }.sorted()
        }
    }

    @Test(
        arguments: [
            ("abc", [["abc"]]),
            ("a(b|c)d", [["abd", "acd"]]),
            ("a[xy]b", [["axb", "ayb"]]),
            ("a?bc", [["abc", "bc"]]),
            ("(ab)?c", [["abc", "c"]]),
            ("(ab){1}c", [["abc"]]),
            ("x|yz|w", [["w", "x", "yz"]]),
            // Too many alternatives in a row: the product is split where it would pass 24.
            ("[abc][abc][abc]", [["aa", "ab", "ac", "ba", "bb", "bc", "ca", "cb", "cc"], ["a", "b", "c"]]),
        ] as [(String, [[String]])])
    func smallLanguagesAreExtractedExactly(pattern: String, expected: [[String]]) {
        #expect(Self.groups(Pattern(pattern)) == expected)
        #expect(LiteralExtractor.requirements(of: Pattern(pattern)).isExactLiteral == (expected.count == 1))
    }

    @Test(
        arguments: [
            ("error.*failed", [["error"], ["failed"]]),
            (#"took \d+ms"#, [["took "], ["ms"]]),
            ("(ab)+c", [["ab"], ["c"]]),
            ("(ab){3}c", [["ab"], ["c"]]),
            ("a{0}bc", [["bc"]]),
            ("(ab)*c", [["c"]]),
            ("ab*c", [["a"], ["c"]]),
            ("[a-z]x", [["x"]]),
            ("[^a]x", [["x"]]),
            ("(?:foo|bar.*baz)", [["bar", "foo"]]),
            (#"foo|\d+"#, []),
            (#"(?<x>a)\k<x>bc"#, [["a"], ["bc"]]),
            (#"a\nb"#, []),
            ("", []),
        ] as [(String, [[String]])])
    func constructsWithoutAFixedTextRequireLessOrNothing(pattern: String, expected: [[String]]) {
        #expect(Self.groups(Pattern(pattern)) == expected)
        #expect(!LiteralExtractor.requirements(of: Pattern(pattern)).isExactLiteral)
    }

    /// Anchors, word boundaries and lookarounds match no text: the literals stay, but a filter hit no
    /// longer decides the match.
    @Test(arguments: [("^abc", "abc"), ("abc$", "abc"), (#"\babc\b"#, "abc"), ("a(?=b)c", "ac"), ("(?<!x)ab", "ab")])
    func zeroWidthConstructsKeepTheLiteralsButNeedConfirmation(pattern: String, literal: String) {
        let requirements = LiteralExtractor.requirements(of: Pattern(pattern))
        #expect(Self.groups(Pattern(pattern)) == [[literal]])
        #expect(!requirements.isExactLiteral)
    }

    @Test(
        arguments: [
            // (pattern, case-insensitive pattern, groups, compared regardless of case, exact)
            ("ABC", true, [["abc"]], true, true),
            ("(?i)ABC", false, [["abc"]], true, true),
            ("(?i)[aA]B[cC]", false, [["abc"]], true, true),
            ("x(?i:AB)", false, [["xab"]], true, false),
            ("x(?i)AB", false, [["xab"]], true, false),
            ("Ab|(?i)cD", false, [["ab", "cd"]], true, false),
        ] as [(String, Bool, [[String]], Bool, Bool)])
    func caseInsensitivePartsFoldTheWholeRequirement(
        pattern: String, caseInsensitive: Bool, expected: [[String]], folded: Bool, exact: Bool
    ) {
        let source = Pattern(pattern, caseInsensitive: caseInsensitive)
        let requirements = LiteralExtractor.requirements(of: source)
        #expect(Self.groups(source) == expected)
        #expect(requirements.caseInsensitive == folded)
        #expect(requirements.isExactLiteral == exact)
    }

    /// Folding a class's bytes may merge them, which keeps a product of classes under the limit.
    @Test func foldedClassesMergeTheirBytes() {
        let pattern = "[aA][bB][cC][dD][eE]"
        #expect(Self.groups(Pattern(pattern, caseInsensitive: true)) == [["abcde"]])
        #expect(Self.groups(Pattern(pattern)).count == 2)
    }

    @Test(arguments: ["(?x)abc", "(?R)abc", "abc(", "abc)", "a**bc", #"abc\k<n"#, "(*UTF)abc"])
    func patternsTheParserCannotFollowRequireNothing(pattern: String) {
        let requirements = LiteralExtractor.requirements(of: Pattern(pattern))
        #expect(requirements.groups.isEmpty)
        #expect(!requirements.isExactLiteral)
    }

    @Test func fixedStringsAreTheirOwnLiteral() {
        let requirements = LiteralExtractor.requirements(of: Pattern("a.B(", caseInsensitive: true, isLiteral: true))
        #expect(requirements.groups == [[Array("a.b(".utf8)]])
        #expect(requirements.isExactLiteral)
        #expect(LiteralExtractor.requirements(of: Pattern("a\nb", isLiteral: true)).groups.isEmpty)
    }
}
