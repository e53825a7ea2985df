/// What a pattern requires of any line it matches, in literal text: a conjunction of groups, each a set
/// of alternative literals of which at least one must occur in the line.
///
/// Extraction is conservative: a construct it does not understand requires nothing, so requirements
/// may be weaker than the pattern (more candidate lines) but never stronger (no line the pattern
/// matches is ever ruled out).
public struct LiteralRequirements: Sendable, Hashable {
    /// Groups that must all be satisfied; each is satisfied when one of its literals occurs in the line.
    public var groups: [[[UInt8]]]
    /// Whether literals are compared regardless of ASCII case.
    public var caseInsensitive: Bool
    /// The pattern matches exactly the strings of the single group, anywhere in a line (a plain
    /// literal or an alternation of literals): finding one is the whole match, no regex needed.
    public var isExactLiteral: Bool
}

/// Extracts `LiteralRequirements` from PCRE2 pattern syntax.
///
/// Handles concatenation, alternation, groups of every kind, quantifiers, escapes, `\Q…\E`, small
/// character classes and inline flags; anything else (lookarounds, backreferences, recursion,
/// extended mode) contributes no requirement.
enum LiteralExtractor {
    /// The most alternatives a literal set may grow to before it is given up.
    static let maxAlternatives = 24

    /// Returns what any line matched by `pattern` must contain.
    static func requirements(of pattern: Pattern) -> LiteralRequirements {
        if pattern.isLiteral {
            let bytes = Array(pattern.source.utf8)
            let literal = pattern.caseInsensitive ? fold(bytes) : bytes
            let usable = !bytes.isEmpty && !bytes.contains(0x0A)
            return LiteralRequirements(
                groups: usable ? [[literal]] : [], caseInsensitive: pattern.caseInsensitive, isExactLiteral: usable)
        }
        var parser = Parser(Array(pattern.source.utf8), caseInsensitive: pattern.caseInsensitive)
        let info = parser.parseAlternation()
        guard !parser.bailed, parser.index == parser.bytes.count else {
            return LiteralRequirements(groups: [], caseInsensitive: pattern.caseInsensitive, isExactLiteral: false)
        }
        let caseInsensitive = pattern.caseInsensitive || parser.sawCaseInsensitive
        var groups = info.required
        if let exact = info.exact { groups = [exact] }
        groups = groups.compactMap { group in
            guard !group.isEmpty, group.allSatisfy({ !$0.isEmpty && !$0.contains(0x0A) }) else { return nil }
            let folded = caseInsensitive ? group.map(fold) : group
            guard folded.count > 1 else { return folded }
            return Array(Set(folded)).sorted { $0.lexicographicallyPrecedes($1) }
        }
        // A filter hit decides the match only when the whole pattern is one case mode: with `(?i:…)` in
        // part of it, the case-insensitive comparison would accept what the rest rejects.
        let uniformCase = pattern.caseInsensitive || !parser.sawCaseInsensitive || parser.caseInsensitiveFromStart
        let exactLiteral = info.exact != nil && !parser.sawZeroWidth && groups.count == 1 && uniformCase
        return LiteralRequirements(groups: groups, caseInsensitive: caseInsensitive, isExactLiteral: exactLiteral)
    }

    /// ASCII lower case.
    static func fold(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map(fold)
    }

    /// ASCII lower case of one byte.
    static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// What a piece of a pattern matches: its exact strings when few, and what it requires.
    struct Info {
        /// Every string the piece can match, when that set is small; nil otherwise.
        var exact: [[UInt8]]?
        /// Groups the piece's matches must satisfy (all of them), when `exact` is nil.
        var required: [[[UInt8]]]

        static let unknown = Info(exact: nil, required: [])
        static let empty = Info(exact: [[]], required: [])
    }

    struct Parser {
        let bytes: [UInt8]
        var index = 0
        var bailed = false
        var sawCaseInsensitive = false
        var sawZeroWidth = false
        var caseInsensitive = false
        /// Whether the pattern starts with `(?i)`, which makes all of it case-insensitive.
        var caseInsensitiveFromStart = false

        init(_ bytes: [UInt8], caseInsensitive: Bool = false) {
            self.bytes = bytes
            self.caseInsensitive = caseInsensitive
        }

        var atEnd: Bool { index >= bytes.count }
        func peek(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

        mutating func parseAlternation() -> Info {
            var branches = [parseConcatenation()]
            while peek() == UInt8(ascii: "|") {
                index += 1
                branches.append(parseConcatenation())
            }
            return branches.count == 1 ? branches[0] : Self.alternate(branches)
        }

        mutating func parseConcatenation() -> Info {
            var pieces: [Info] = []
            var run: [UInt8] = []  // plain bytes read since the last piece
            while let c = peek(), c != UInt8(ascii: "|"), c != UInt8(ascii: ")"), !bailed {
                // Most of a pattern is plain bytes: those not under a quantifier are collected as
                // they come, without a piece each.
                if Self.kind[Int(c)] == 0, peek(1).map({ Self.kind[Int($0)] != 2 }) ?? true {
                    run.append(caseInsensitive ? LiteralExtractor.fold(c) : c)
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
                if !run.isEmpty {
                    pieces.append(Info(exact: [run], required: []))
                    run.removeAll()
                }
                let atom = parseAtom()
                pieces.append(parseQuantifier(after: atom))
            }
            if !run.isEmpty { pieces.append(Info(exact: [run], required: [])) }
            return Self.concatenate(pieces)
        }

        /// By byte: 0 a literal to `parseAtom`, 1 special to it, 2 special and the start of a quantifier.
        static let kind: [UInt8] = (0..<256).map { byte in
            if "*+?{".utf8.contains(UInt8(byte)) { return 2 }
            return "()[].^$\\|".utf8.contains(UInt8(byte)) ? 1 : 0
        }

        // MARK: Combining

        static func concatenate(_ pieces: [Info]) -> Info {
            var required: [[[UInt8]]] = []
            var current: [[UInt8]]? = [[]]
            var broken = false
            func flush() {
                if let set = current, !set.contains(where: \.isEmpty) { required.append(set) }
            }
            for piece in pieces {
                if let exact = piece.exact, exact.count == 1, var set = current {
                    // One more fixed piece (most often a single byte): extend in place.
                    current = nil
                    for index in set.indices { set[index].append(contentsOf: exact[0]) }
                    current = set
                } else if let exact = piece.exact, let set = current, set.count * exact.count <= maxAlternatives {
                    current = set.flatMap { prefix in exact.map { prefix + $0 } }
                } else if let exact = piece.exact {
                    flush()
                    broken = true
                    current = exact
                } else {
                    flush()
                    broken = true
                    required += piece.required
                    current = [[]]
                }
            }
            if !broken { return Info(exact: current, required: []) }
            flush()
            return Info(exact: nil, required: required)
        }

        static func alternate(_ branches: [Info]) -> Info {
            if branches.allSatisfy({ $0.exact != nil }) {
                let union = branches.flatMap { $0.exact ?? [] }
                if union.count <= maxAlternatives { return Info(exact: union, required: []) }
            }
            // One group per branch (its best), united: some branch matched, so one of them occurs.
            var union: [[UInt8]] = []
            for branch in branches {
                let groups = branch.exact.map { [$0] } ?? branch.required
                guard let best = groups.filter({ !$0.contains(where: \.isEmpty) }).max(by: { score($0) < score($1) })
                else {
                    return .unknown
                }
                union += best
            }
            return union.count <= maxAlternatives * 2 ? Info(exact: nil, required: [union]) : .unknown
        }

        /// How selective a group is: its shortest literal, longer being rarer.
        static func score(_ group: [[UInt8]]) -> Int { (group.map(\.count).min() ?? 0) * 64 - group.count }

        // MARK: Atoms

        mutating func parseAtom() -> Info {
            guard let c = peek() else { return .empty }
            switch c {
            case UInt8(ascii: "("): return parseGroup()
            case UInt8(ascii: "["): return parseClass()
            case UInt8(ascii: "."): index += 1; return .unknown
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                index += 1
                sawZeroWidth = true
                return .empty
            case UInt8(ascii: "\\"): return parseEscape()
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                // A quantifier with nothing before it: PCRE2 rejects it; do not guess.
                bailed = true
                return .unknown
            default:
                index += 1
                return literal(c)
            }
        }

        /// One byte; in a case-insensitive stretch its lower case (the result is folded and compared
        /// regardless of case anyway).
        func literal(_ c: UInt8) -> Info {
            Info(exact: [[caseInsensitive ? LiteralExtractor.fold(c) : c]], required: [])
        }

        mutating func parseGroup() -> Info {
            index += 1  // (
            var kind = "capture"
            if peek() == UInt8(ascii: "?") {
                index += 1
                guard let next = peek() else { bailed = true; return .unknown }
                switch next {
                case UInt8(ascii: ":"), UInt8(ascii: ">"), UInt8(ascii: "|"):
                    index += 1
                case UInt8(ascii: "#"):
                    while let c = peek(), c != UInt8(ascii: ")") { index += 1 }
                    index += 1
                    return .empty
                case UInt8(ascii: "="), UInt8(ascii: "!"):
                    index += 1
                    kind = "look"
                case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "!"):
                    index += 2
                    kind = "look"
                case UInt8(ascii: "<"), UInt8(ascii: "'"), UInt8(ascii: "P"):
                    // Named group: (?<name>…), (?'name'…), (?P<name>…); (?P=name) and (?P>name) are references.
                    if next == UInt8(ascii: "P"), peek(1) != UInt8(ascii: "<") { bailed = true; return .unknown }
                    let close = next == UInt8(ascii: "'") ? UInt8(ascii: "'") : UInt8(ascii: ">")
                    while let c = peek(), c != close { index += 1 }
                    index += 1
                default:
                    // Inline flags: (?i), (?-i), (?i:…), (?x)…; anything else (recursion, conditionals) bails.
                    var flags: [UInt8] = []
                    while let c = peek(), c != UInt8(ascii: ")"), c != UInt8(ascii: ":") {
                        flags.append(c)
                        index += 1
                    }
                    let allowed = Set("imnsxJU-^".utf8)
                    guard !flags.isEmpty, flags.allSatisfy(allowed.contains), !flags.contains(UInt8(ascii: "x")) else {
                        bailed = true
                        return .unknown
                    }
                    let negated = flags.firstIndex(of: UInt8(ascii: "-"))
                    let setsI =
                        flags.firstIndex(of: UInt8(ascii: "i")).map { i in negated.map { i < $0 } ?? true } ?? false
                    let clearsI =
                        flags.firstIndex(of: UInt8(ascii: "i")).map { i in negated.map { i > $0 } ?? false } ?? false
                    if flags.first == UInt8(ascii: "^") { caseInsensitive = false }
                    if setsI { sawCaseInsensitive = true }
                    if peek() == UInt8(ascii: ")") {
                        if setsI, !clearsI, flags.count == 1, index == 3 { caseInsensitiveFromStart = true }
                        index += 1
                        if setsI { caseInsensitive = true }
                        if clearsI { caseInsensitive = false }
                        return .empty
                    }
                    index += 1  // ':' — flags scoped to this group
                    let saved = caseInsensitive
                    if setsI { caseInsensitive = true }
                    if clearsI { caseInsensitive = false }
                    let inner = parseAlternation()
                    caseInsensitive = saved
                    guard peek() == UInt8(ascii: ")") else { bailed = true; return .unknown }
                    index += 1
                    return inner
                }
            } else if peek() == UInt8(ascii: "*") {
                bailed = true  // (*VERB) and (*pla:…) forms
                return .unknown
            }
            let saved = caseInsensitive
            let inner = parseAlternation()
            caseInsensitive = saved
            guard peek() == UInt8(ascii: ")") else { bailed = true; return .unknown }
            index += 1
            if kind == "look" {
                sawZeroWidth = true
                return .empty
            }
            return inner
        }

        mutating func parseClass() -> Info {
            index += 1  // [
            var negated = false
            if peek() == UInt8(ascii: "^") {
                negated = true
                index += 1
            }
            var members: Set<UInt8> = []
            var known = true
            var first = true
            while let c = peek() {
                if c == UInt8(ascii: "]"), !first { break }
                first = false
                if c == UInt8(ascii: "["), peek(1) == UInt8(ascii: ":") {
                    while let d = peek(), d != UInt8(ascii: "]") { index += 1 }
                    index += 1
                    known = false
                    continue
                }
                var low = c
                index += 1
                if c == UInt8(ascii: "\\") {
                    guard let e = peek() else { bailed = true; return .unknown }
                    index += 1
                    if let value = Self.simpleEscape(e) {
                        low = value
                    } else if Self.isAlphanumeric(e) {
                        known = false
                        skipEscapeArgument(e)
                        continue
                    } else {
                        low = e
                    }
                }
                if peek() == UInt8(ascii: "-"), let high = peek(1), high != UInt8(ascii: "]") {
                    index += 2
                    var upper = high
                    if high == UInt8(ascii: "\\") {
                        guard let e = peek() else { bailed = true; return .unknown }
                        index += 1
                        guard let value = Self.simpleEscape(e) ?? (Self.isAlphanumeric(e) ? nil : e) else {
                            known = false
                            continue
                        }
                        upper = value
                    }
                    if upper < low || Int(upper) - Int(low) > 8 {
                        known = false
                    } else {
                        for b in low...upper { members.insert(b) }
                    }
                } else {
                    members.insert(low)
                }
            }
            guard peek() == UInt8(ascii: "]") else { bailed = true; return .unknown }
            index += 1
            guard known, !negated, !members.isEmpty, members.count <= 8 else { return .unknown }
            let all = caseInsensitive ? Set(members.map { LiteralExtractor.fold($0) }) : members
            return Info(exact: all.sorted().map { [$0] }, required: [])
        }

        /// Skips the argument of an escape that takes one: `\p{…}`/`\pL`, `\cX`, `\o{…}`, `\x{…}`/`\xHH`,
        /// `\g{…}`/`\g<…>`/`\g'…'`/`\g-1`, `\k<…>`/`\k'…'`/`\k{…}`, `\N{…}`.
        mutating func skipEscapeArgument(_ e: UInt8) {
            func skip(to close: UInt8) {
                while let c = peek(), c != close { index += 1 }
                index += 1
            }
            switch (e, peek()) {
            case (_, UInt8(ascii: "{")) where e != UInt8(ascii: "c"): skip(to: UInt8(ascii: "}"))
            case (UInt8(ascii: "g"), UInt8(ascii: "<")), (UInt8(ascii: "k"), UInt8(ascii: "<")):
                skip(to: UInt8(ascii: ">"))
            case (UInt8(ascii: "g"), UInt8(ascii: "'")), (UInt8(ascii: "k"), UInt8(ascii: "'")):
                index += 1
                skip(to: UInt8(ascii: "'"))
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

        mutating func parseEscape() -> Info {
            index += 1  // backslash
            guard let e = peek() else { bailed = true; return .unknown }
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
                return Self.concatenate(text.map { literal($0) })
            }
            if e == UInt8(ascii: "E") { return .empty }
            if let value = Self.simpleEscape(e) { return literal(value) }
            switch e {
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "Z"),
                UInt8(ascii: "G"), UInt8(ascii: "K"):
                sawZeroWidth = true
                return .empty
            case UInt8(ascii: "x"):
                if peek() == UInt8(ascii: "{") {
                    let start = index + 1
                    while let c = peek(), c != UInt8(ascii: "}") { index += 1 }
                    let digits = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
                    index += 1
                    guard let value = UInt32(digits, radix: 16), value < 0x80 else { return .unknown }
                    return literal(UInt8(value))
                }
                var digits = ""
                while digits.count < 2, let c = peek(), Self.isHex(c) {
                    digits.append(Character(Unicode.Scalar(c)))
                    index += 1
                }
                guard let value = UInt8(digits.isEmpty ? "0" : digits, radix: 16) else { return .unknown }
                return literal(value)
            case UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "o"), UInt8(ascii: "g"), UInt8(ascii: "k"),
                UInt8(ascii: "c"), UInt8(ascii: "N"):
                skipEscapeArgument(e)
                return .unknown
            default:
                if e >= UInt8(ascii: "0") && e <= UInt8(ascii: "9") {
                    while let c = peek(), c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { index += 1 }
                    return .unknown  // backreference or octal
                }
                if Self.isAlphanumeric(e) { return .unknown }  // \d \s \w \h \v \R \X \C …
                return literal(e)
            }
        }

        static func simpleEscape(_ e: UInt8) -> UInt8? {
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

        static func isAlphanumeric(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }

        static func isHex(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        }

        // MARK: Quantifiers

        mutating func parseQuantifier(after atom: Info) -> Info {
            guard let c = peek() else { return atom }
            var minimum: Int
            var maximum: Int?
            switch c {
            case UInt8(ascii: "*"):
                minimum = 0
                maximum = nil
                index += 1
            case UInt8(ascii: "+"):
                minimum = 1
                maximum = nil
                index += 1
            case UInt8(ascii: "?"):
                minimum = 0
                maximum = 1
                index += 1
            case UInt8(ascii: "{"):
                guard let (low, high, length) = braceQuantifier() else { return atom }
                minimum = low
                maximum = high
                index += length
            default:
                return atom
            }
            if let lazy = peek(), lazy == UInt8(ascii: "?") || lazy == UInt8(ascii: "+") { index += 1 }
            let quantified: Info
            if minimum == 0 {
                if maximum == 1, let exact = atom.exact, exact.count < maxAlternatives {
                    quantified = Info(exact: exact + [[]], required: [])
                } else {
                    quantified = .unknown
                }
            } else if minimum == 1, maximum == 1 {
                quantified = atom
            } else {
                // At least one occurrence: it requires what one occurrence requires.
                quantified = Info(exact: nil, required: atom.exact.map { [$0] } ?? atom.required)
            }
            // A further quantifier applied to this one: PCRE2 rejects most; be safe.
            if let next = peek(), next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "?") {
                bailed = true
            }
            return quantified
        }

        /// Parses `{n}`, `{n,}` or `{n,m}` at the current index; nil when it is a literal brace (PCRE2 10.42).
        func braceQuantifier() -> (Int, Int?, Int)? {
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
}
