import Testing

@testable import StreamMatch

/// The syntax tree `RegexParser` makes of PCRE2 patterns.
struct RegexParserTests {
    typealias Node = RegexSyntax

    static func literal(_ text: String) -> Node { .literal(Array(text.utf8)) }

    static func byteClass(_ ranges: [ClosedRange<UInt8>], negated: Bool = false) -> Node {
        .characterClass(RegexSyntax.ByteClass(negated: negated, ranges: ranges))
    }

    static func byte(_ character: Unicode.Scalar) -> ClosedRange<UInt8> {
        UInt8(character.value)...UInt8(character.value)
    }

    static func flags(_ letters: String) -> RegexSyntax.Flags { RegexSyntax.Flags(letters: Array(letters.utf8)) }

    static func repeated(
        _ node: Node, _ minimum: Int, _ maximum: Int?, _ mode: RegexSyntax.Repetition.Mode = .greedy
    ) -> Node {
        .repetition(node, RegexSyntax.Repetition(minimum: minimum, maximum: maximum, mode: mode))
    }

    static func parse(_ pattern: String) -> Node { RegexSyntax.parse(Array(pattern.utf8)) }

    @Test(
        arguments: [
            ("", .empty),
            ("abc", literal("abc")),
            (#"a\.b\(c\\"#, literal(#"a.b(c\"#)),
            (#"\t\n\r\f\e\a"#, .literal([0x09, 0x0A, 0x0D, 0x0C, 0x1B, 0x07])),
            (#"\x41\x{42}\x4"#, .literal([0x41, 0x42, 0x04])),
            (#"a\xffb"#, .literal([0x61, 0xFF, 0x62])),
            (#"\x{100}"#, .anything),
            (#"a\dc"#, .concatenation([literal("a"), .anything, literal("c")])),
            (#"\w\s\h\R"#, .concatenation([.anything, .anything, .anything, .anything])),
            (#"(a)\1"#, .concatenation([.group(.capturing, literal("a")), .anything])),
            (#"(?<n>a)\k<n>"#, .concatenation([.group(.named(Array("n".utf8)), literal("a")), .anything])),
            (#"\p{Lu}x\pLy"#, .concatenation([.anything, literal("x"), .anything, literal("y")])),
            (#"\cAb"#, .concatenation([.anything, literal("b")])),
            (#"a\Eb"#, .concatenation([literal("a"), .empty, literal("b")])),
            (#"x\Qa.b*\Ey"#, literal("xa.b*y")),
            (#"\Qa(b"#, literal("a(b")),
            (#"\Q\E"#, .empty),
            (#"é"#, .literal([0xC3, 0xA9])),
        ] as [(String, Node)])
    func escapesAndLiteralsMakeLiteralRuns(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    @Test(
        arguments: [
            ("[abc]", byteClass([byte("a"), byte("b"), byte("c")])),
            ("[a-f0]", byteClass([0x61...0x66, byte("0")])),
            (#"[^\n]"#, byteClass([byte("\n")], negated: true)),
            ("[]a]", byteClass([byte("]"), byte("a")])),
            ("[^]a]", byteClass([byte("]"), byte("a")], negated: true)),
            ("[a-]", byteClass([byte("a"), byte("-")])),
            (#"[\]\t-\r]"#, byteClass([byte("]"), 0x09...0x0D])),
            ("[a-z]", byteClass([0x61...0x7A])),
            (#"[\d]"#, .anything),
            (#"[^\w.]"#, .anything),
            ("[[:alpha:]x]", .anything),
            (#"[\p{L}]"#, .anything),
            ("[z-a]", .anything),
        ] as [(String, Node)])
    func classesListTheirBytesOrAreAnything(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    @Test(
        arguments: [
            ("(ab)", .group(.capturing, literal("ab"))),
            ("(?:ab)", .group(.nonCapturing, literal("ab"))),
            ("(?>ab)", .group(.atomic, literal("ab"))),
            ("(?|a|b)", .group(.branchReset, .alternation([literal("a"), literal("b")]))),
            ("(?<name>ab)", .group(.named(Array("name".utf8)), literal("ab"))),
            ("(?P<name>ab)", .group(.named(Array("name".utf8)), literal("ab"))),
            ("(?=ab)", .group(.lookahead, literal("ab"))),
            ("(?!ab)", .group(.negativeLookahead, literal("ab"))),
            ("(?<=ab)", .group(.lookbehind, literal("ab"))),
            ("(?<!ab)", .group(.negativeLookbehind, literal("ab"))),
            ("()", .group(.capturing, .empty)),
            ("a(?#note)b", .concatenation([literal("a"), .empty, literal("b")])),
            (
                "x(a|bc)d",
                .concatenation([
                    literal("x"), .group(.capturing, .alternation([literal("a"), literal("bc")])), literal("d"),
                ])
            ),
            ("a|bc|", .alternation([literal("a"), literal("bc"), .empty])),
            ("|a", .alternation([.empty, literal("a")])),
            (
                "ab|(c|d)",
                .alternation([literal("ab"), .group(.capturing, .alternation([literal("c"), literal("d")]))])
            ),
        ] as [(String, Node)])
    func groupsAndAlternationsNestAsWritten(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    @Test(
        arguments: [
            ("ab*", .concatenation([literal("a"), repeated(literal("b"), 0, nil)])),
            ("a+b", .concatenation([repeated(literal("a"), 1, nil), literal("b")])),
            ("a?", repeated(literal("a"), 0, 1)),
            ("a*?", repeated(literal("a"), 0, nil, .lazy)),
            ("a+?", repeated(literal("a"), 1, nil, .lazy)),
            ("a??", repeated(literal("a"), 0, 1, .lazy)),
            ("a*+", repeated(literal("a"), 0, nil, .possessive)),
            ("a?+", repeated(literal("a"), 0, 1, .possessive)),
            ("a{0}", repeated(literal("a"), 0, 0)),
            ("a{3}", repeated(literal("a"), 3, 3)),
            ("a{2,}", repeated(literal("a"), 2, nil)),
            ("a{2,5}?", repeated(literal("a"), 2, 5, .lazy)),
            ("(ab){0,1}", repeated(.group(.capturing, literal("ab")), 0, 1)),
            ("[ab]+", repeated(byteClass([byte("a"), byte("b")]), 1, nil)),
            (#"\d{2}"#, repeated(.anything, 2, 2)),
            (".*", repeated(.anything, 0, nil)),
            // Not quantifiers in PCRE2 10.42: the braces are literal.
            ("a{,2}", literal("a{,2}")),
            ("a{x}", literal("a{x}")),
            ("a{2", literal("a{2")),
            ("{", literal("{")),
            // A quantifier after a multi-byte character repeats its last byte (there is no UTF mode).
            ("xé+", .concatenation([.literal([0x78, 0xC3]), repeated(.literal([0xA9]), 1, nil)])),
        ] as [(String, Node)])
    func quantifiersWrapTheAtomBeforeThem(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    @Test(
        arguments: [
            ("(?i)abc", .concatenation([.setFlags(flags("i")), literal("abc")])),
            ("a(?-i)b", .concatenation([literal("a"), .setFlags(flags("-i")), literal("b")])),
            ("(?^)a", .concatenation([.setFlags(flags("^")), literal("a")])),
            ("(?im-s)a", .concatenation([.setFlags(flags("im-s")), literal("a")])),
            ("(?i:ab)c", .concatenation([.group(.flags(flags("i")), literal("ab")), literal("c")])),
            ("(?-i:a|b)", .group(.flags(flags("-i")), .alternation([literal("a"), literal("b")]))),
            ("a|(?i)b", .alternation([literal("a"), .concatenation([.setFlags(flags("i")), literal("b")])])),
        ] as [(String, Node)])
    func inlineFlagsStayWhereTheyWereWritten(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    @Test(
        arguments: [
            ("^ab$", .concatenation([.assertion(.lineStart), literal("ab"), .assertion(.lineEnd)])),
            (
                #"\bx\B\A\z\Z\G\K"#,
                .concatenation([
                    .assertion(.wordBoundary), literal("x"), .assertion(.notWordBoundary), .assertion(.subjectStart),
                    .assertion(.subjectEnd), .assertion(.subjectEndOrFinalNewline), .assertion(.searchStart),
                    .assertion(.matchStartReset),
                ])
            ),
            ("a.c", .concatenation([literal("a"), .anything, literal("c")])),
        ] as [(String, Node)])
    func anchorsAreAssertionsAndTheDotIsAnything(pattern: String, tree: Node) {
        #expect(Self.parse(pattern) == tree)
    }

    /// Syntax the parser does not follow, and patterns PCRE2 rejects: the whole tree is `anything`, so an
    /// extractor reading it requires nothing of a line.
    @Test(
        arguments: [
            "(?x)a b", "(?xi)ab", "(?R)", "a(?1)", "(?(1)a|b)", "(*UTF)ab", "(*pla:a)b", "(?P=n)", "(?P>n)", "(?",
            "(?)", "(?q)a", "*a", "a|+b", "a**", "a+?+", "a{2}?*", "(ab", "ab)", "a)b(", "[ab", "[a-", #"[\"#, "\\",
            "(?#note", "(?<name", #"\p{L"#, #"\x{41"#, #"\k<n"#, #"[\p{L]"#, "[[:alpha", "(?i",
        ])
    func syntaxTheParserCannotFollowIsAnythingAsAWhole(pattern: String) {
        #expect(Self.parse(pattern) == .anything)
    }

    @Test(
        arguments: [
            ("i", true, false, false), ("-i", false, true, false), ("^", false, false, true), ("^i", true, false, true),
            ("m-i", false, true, false), ("i-m", true, false, false), ("ms", false, false, false),
        ])
    func flagsSayWhatTheyDoToCase(letters: String, sets: Bool, clears: Bool, resets: Bool) {
        let flags = Self.flags(letters)
        #expect(flags.setsCaseInsensitive == sets)
        #expect(flags.clearsCaseInsensitive == clears)
        #expect(flags.resets == resets)
    }
}
