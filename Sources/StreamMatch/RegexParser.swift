/// Parses PCRE2 pattern syntax into a `RegexSyntax` tree.
///
/// Follows concatenation, alternation, groups of every kind, quantifiers, escapes, `\Q…\E`, character
/// classes and inline flags. A construct that stands for text the tree does not describe becomes
/// `anything`. A pattern the parser cannot follow is `anything` as a whole: extended mode `(?x)`,
/// recursion and conditionals, `(*VERB)`s, a quantifier with nothing to repeat or after another one,
/// unbalanced parentheses, and an unterminated class, group name, comment or escape argument.
struct RegexParser {
    /// The parser gave up on the pattern.
    private struct Failure: Error {}

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Returns the tree of `source`, or `anything` when the parser cannot follow it.
    static func parse(_ source: [UInt8]) -> RegexSyntax {
        var parser = RegexParser(source)
        do {
            let tree = try parser.parseAlternation()
            return parser.index == source.count ? tree : .anything
        } catch {
            return .anything
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// Moves past the next `close` byte.
    private mutating func skip(to close: UInt8) throws(Failure) {
        while let c = peek(), c != close { index += 1 }
        guard index < bytes.count else { throw Failure() }
        index += 1
    }

    // MARK: Sequences

    private mutating func parseAlternation() throws(Failure) -> RegexSyntax {
        var branches = [try parseConcatenation()]
        while peek() == UInt8(ascii: "|") {
            index += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(Failure) -> RegexSyntax {
        var items: [RegexSyntax] = []
        var run: [UInt8] = []  // literal bytes read since the last item
        while let c = peek(), c != UInt8(ascii: "|"), c != UInt8(ascii: ")") {
            // Most of a pattern is plain bytes: those not under a quantifier are collected as they come,
            // without an atom each.
            if Self.kind[Int(c)] == 0, peek(1).map({ Self.kind[Int($0)] != 2 }) ?? true {
                run.append(c)
                index += 1
                continue
            }
            // So is an escaped punctuation byte (`\.`, `\(`), the commonest escape.
            if c == UInt8(ascii: "\\"), let e = peek(1), e < 0x80, !Self.isAlphanumeric(e),
                peek(2).map({ Self.kind[Int($0)] != 2 }) ?? true
            {
                run.append(e)
                index += 2
                continue
            }
            let item = try parseQuantifier(after: try parseAtom())
            if case .literal(let literal) = item {
                run += literal
                continue
            }
            if !run.isEmpty {
                items.append(.literal(run))
                run.removeAll()
            }
            items.append(item)
        }
        if !run.isEmpty { items.append(.literal(run)) }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// By byte: 0 a literal to `parseAtom`, 1 special to it, 2 special and the start of a quantifier.
    private static let kind: [UInt8] = (0..<256).map { byte in
        if "*+?{".utf8.contains(UInt8(byte)) { return 2 }
        return "()[].^$\\|".utf8.contains(UInt8(byte)) ? 1 : 0
    }

    // MARK: Atoms

    private mutating func parseAtom() throws(Failure) -> RegexSyntax {
        guard let c = peek() else { return .empty }
        switch c {
        case UInt8(ascii: "("): return try parseGroup()
        case UInt8(ascii: "["): return try parseClass()
        case UInt8(ascii: "."):
            index += 1
            return .anything
        case UInt8(ascii: "^"):
            index += 1
            return .assertion(.lineStart)
        case UInt8(ascii: "$"):
            index += 1
            return .assertion(.lineEnd)
        case UInt8(ascii: "\\"): return try parseEscape()
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            throw Failure()  // a quantifier with nothing before it: PCRE2 rejects it
        default:
            index += 1
            return .literal([c])
        }
    }

    private mutating func parseGroup() throws(Failure) -> RegexSyntax {
        index += 1  // (
        var kind = RegexSyntax.Group.Kind.capturing
        if peek() == UInt8(ascii: "?") {
            index += 1
            guard let next = peek() else { throw Failure() }
            switch next {
            case UInt8(ascii: ":"):
                index += 1
                kind = .nonCapturing
            case UInt8(ascii: ">"):
                index += 1
                kind = .atomic
            case UInt8(ascii: "|"):
                index += 1
                kind = .branchReset
            case UInt8(ascii: "#"):
                try skip(to: UInt8(ascii: ")"))
                return .empty
            case UInt8(ascii: "="):
                index += 1
                kind = .lookahead
            case UInt8(ascii: "!"):
                index += 1
                kind = .negativeLookahead
            case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "="):
                index += 2
                kind = .lookbehind
            case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "!"):
                index += 2
                kind = .negativeLookbehind
            case UInt8(ascii: "<"), UInt8(ascii: "'"), UInt8(ascii: "P"):
                kind = .named(try parseGroupName(next))
            default:
                let flags = try parseFlags()
                if peek() == UInt8(ascii: ")") {
                    index += 1
                    return .setFlags(flags)
                }
                guard peek() == UInt8(ascii: ":") else { throw Failure() }
                index += 1
                kind = .flags(flags)
            }
        } else if peek() == UInt8(ascii: "*") {
            throw Failure()  // (*VERB) and (*pla:…) forms
        }
        let body = try parseAlternation()
        guard peek() == UInt8(ascii: ")") else { throw Failure() }
        index += 1
        return .group(kind, body)
    }

    /// Reads the name of `(?<name>…)` or `(?P<name>…)`, from `opening` (at the index) past the next `>`.
    ///
    /// `(?P=name)` and `(?P>name)` are references, which the parser does not follow. For a quote, the
    /// closing delimiter found is `opening` itself: `(?'name'…)` reads as a group with an empty name whose
    /// body starts with `name'`.
    private mutating func parseGroupName(_ opening: UInt8) throws(Failure) -> [UInt8] {
        if opening == UInt8(ascii: "P"), peek(1) != UInt8(ascii: "<") { throw Failure() }
        let close = opening == UInt8(ascii: "'") ? UInt8(ascii: "'") : UInt8(ascii: ">")
        let start = index + (opening == UInt8(ascii: "P") ? 2 : 1)
        try skip(to: close)
        return Array(bytes[min(start, index - 1)..<(index - 1)])
    }

    /// Reads inline flags up to the `)` or `:` that ends them: letters of `imnsxJU`, `-` and `^`.
    ///
    /// Anything else there (recursion, conditionals, a group the parser does not know) and extended mode,
    /// which changes how the rest of the pattern reads, make the parser give up.
    private mutating func parseFlags() throws(Failure) -> RegexSyntax.Flags {
        var letters: [UInt8] = []
        while let c = peek(), c != UInt8(ascii: ")"), c != UInt8(ascii: ":") {
            letters.append(c)
            index += 1
        }
        guard !letters.isEmpty, letters.allSatisfy(Self.flagLetters.contains), !letters.contains(UInt8(ascii: "x"))
        else {
            throw Failure()
        }
        return RegexSyntax.Flags(letters: letters)
    }

    private static let flagLetters = Set("imnsxJU-^".utf8)

    private mutating func parseClass() throws(Failure) -> RegexSyntax {
        index += 1  // [
        var negated = false
        if peek() == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt8>] = []
        var known = true  // no item the class cannot list bytes for
        var first = true
        while let c = peek() {
            if c == UInt8(ascii: "]"), !first { break }
            first = false
            if c == UInt8(ascii: "["), peek(1) == UInt8(ascii: ":") {
                try skip(to: UInt8(ascii: "]"))  // [:alpha:]
                known = false
                continue
            }
            var low = c
            index += 1
            if c == UInt8(ascii: "\\") {
                guard let e = peek() else { throw Failure() }
                index += 1
                if let value = Self.simpleEscape(e) {
                    low = value
                } else if Self.isAlphanumeric(e) {
                    known = false
                    try skipEscapeArgument(e)
                    continue
                } else {
                    low = e
                }
            }
            if peek() == UInt8(ascii: "-"), let high = peek(1), high != UInt8(ascii: "]") {
                index += 2
                var upper = high
                if high == UInt8(ascii: "\\") {
                    guard let e = peek() else { throw Failure() }
                    index += 1
                    guard let value = Self.simpleEscape(e) ?? (Self.isAlphanumeric(e) ? nil : e) else {
                        known = false
                        continue
                    }
                    upper = value
                }
                if upper < low {
                    known = false  // PCRE2 rejects a range out of order
                } else {
                    ranges.append(low...upper)
                }
            } else {
                ranges.append(low...low)
            }
        }
        guard peek() == UInt8(ascii: "]") else { throw Failure() }
        index += 1
        return known ? .characterClass(RegexSyntax.ByteClass(negated: negated, ranges: ranges)) : .anything
    }

    // MARK: Escapes

    private mutating func parseEscape() throws(Failure) -> RegexSyntax {
        index += 1  // backslash
        guard let e = peek() else { throw Failure() }
        index += 1
        if e == UInt8(ascii: "Q") {
            var text: [UInt8] = []
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") {
                    index += 2
                    break
                }
                text.append(bytes[index])
                index += 1
            }
            return text.isEmpty ? .empty : .literal(text)
        }
        if e == UInt8(ascii: "E") { return .empty }
        if let value = Self.simpleEscape(e) { return .literal([value]) }
        switch e {
        case UInt8(ascii: "b"): return .assertion(.wordBoundary)
        case UInt8(ascii: "B"): return .assertion(.notWordBoundary)
        case UInt8(ascii: "A"): return .assertion(.subjectStart)
        case UInt8(ascii: "z"): return .assertion(.subjectEnd)
        case UInt8(ascii: "Z"): return .assertion(.subjectEndOrFinalNewline)
        case UInt8(ascii: "G"): return .assertion(.searchStart)
        case UInt8(ascii: "K"): return .assertion(.matchStartReset)
        case UInt8(ascii: "x"): return try parseHexEscape()
        case UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "o"), UInt8(ascii: "g"), UInt8(ascii: "k"),
            UInt8(ascii: "c"), UInt8(ascii: "N"):
            try skipEscapeArgument(e)
            return .anything
        default:
            if e >= UInt8(ascii: "0") && e <= UInt8(ascii: "9") {
                while let c = peek(), c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { index += 1 }
                return .anything  // backreference or octal
            }
            if Self.isAlphanumeric(e) { return .anything }  // \d \s \w \h \v \R \X \C …
            return .literal([e])
        }
    }

    /// Reads what follows `\x`: `{hhh}` or up to two hex digits.
    ///
    /// A character beyond ASCII (several bytes in UTF-8) is `anything`.
    private mutating func parseHexEscape() throws(Failure) -> RegexSyntax {
        if peek() == UInt8(ascii: "{") {
            let start = index + 1
            try skip(to: UInt8(ascii: "}"))
            let digits = String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
            guard let value = UInt32(digits, radix: 16), value < 0x80 else { return .anything }
            return .literal([UInt8(value)])
        }
        var digits = ""
        while digits.count < 2, let c = peek(), Self.isHex(c) {
            digits.append(Character(Unicode.Scalar(c)))
            index += 1
        }
        guard let value = UInt8(digits.isEmpty ? "0" : digits, radix: 16) else { return .anything }
        return .literal([value])
    }

    /// Skips the argument of an escape that takes one: `\p{…}`/`\pL`, `\cX`, `\o{…}`, `\x{…}`/`\xHH`,
    /// `\g{…}`/`\g<…>`/`\g'…'`/`\g-1`, `\k<…>`/`\k'…'`/`\k{…}`, `\N{…}`.
    private mutating func skipEscapeArgument(_ e: UInt8) throws(Failure) {
        switch (e, peek()) {
        case (_, UInt8(ascii: "{")) where e != UInt8(ascii: "c"): try skip(to: UInt8(ascii: "}"))
        case (UInt8(ascii: "g"), UInt8(ascii: "<")), (UInt8(ascii: "k"), UInt8(ascii: "<")):
            try skip(to: UInt8(ascii: ">"))
        case (UInt8(ascii: "g"), UInt8(ascii: "'")), (UInt8(ascii: "k"), UInt8(ascii: "'")):
            index += 1
            try skip(to: UInt8(ascii: "'"))
        case (UInt8(ascii: "g"), _):
            if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { index += 1 }
            while let c = peek(), c >= 0x30, c <= 0x39 { index += 1 }
        case (UInt8(ascii: "p"), _), (UInt8(ascii: "P"), _), (UInt8(ascii: "c"), _):
            index = min(index + 1, bytes.count)
        case (UInt8(ascii: "x"), _):
            var count = 0
            while count < 2, let c = peek(), Self.isHex(c) {
                index += 1
                count += 1
            }
        default:
            break
        }
    }

    private static func simpleEscape(_ e: UInt8) -> UInt8? {
        switch e {
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "e"): 0x1B
        case UInt8(ascii: "a"): 0x07
        default: nil
        }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    // MARK: Quantifiers

    private mutating func parseQuantifier(after atom: RegexSyntax) throws(Failure) -> RegexSyntax {
        guard let c = peek() else { return atom }
        let minimum: Int
        let maximum: Int?
        switch c {
        case UInt8(ascii: "*"):
            (minimum, maximum) = (0, nil)
            index += 1
        case UInt8(ascii: "+"):
            (minimum, maximum) = (1, nil)
            index += 1
        case UInt8(ascii: "?"):
            (minimum, maximum) = (0, 1)
            index += 1
        case UInt8(ascii: "{"):
            guard let (low, high, length) = braceQuantifier() else { return atom }
            (minimum, maximum) = (low, high)
            index += length
        default:
            return atom
        }
        var mode = RegexSyntax.Repetition.Mode.greedy
        if peek() == UInt8(ascii: "?") {
            mode = .lazy
            index += 1
        } else if peek() == UInt8(ascii: "+") {
            mode = .possessive
            index += 1
        }
        // A further quantifier applied to this one: PCRE2 rejects most.
        if let next = peek(), next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "?") {
            throw Failure()
        }
        return .repetition(atom, RegexSyntax.Repetition(minimum: minimum, maximum: maximum, mode: mode))
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the index as (n, m, length); nil when the brace is a literal
    /// (PCRE2 10.42: `{,m}` is one too).
    private func braceQuantifier() -> (Int, Int?, Int)? {
        /// The decimal number at `i`, nil when there is no digit; `i` moves past it.
        func number(_ i: inout Int) -> Int? {
            var value = 0
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value &* 10 &+ Int(bytes[i] - 0x30)
                i += 1
            }
            return i > start ? value : nil
        }
        var i = index + 1
        guard let low = number(&i), i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "}") { return (low, low, i - index + 1) }
        guard bytes[i] == UInt8(ascii: ",") else { return nil }
        i += 1
        let high = number(&i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "}") else { return nil }
        return (low, high, i - index + 1)
    }
}
