import Testing

@testable import StreamMatch

/// The extractor never rules out a line PCRE2 matches.
///
/// Random patterns from a small grammar against random lines, many built to match: every line PCRE2
/// matches contains one literal of each group the extractor requires. The seed is fixed, so a failure
/// comes back on every run.
struct LiteralExtractorPropertyTests {
    /// SplitMix64: a small generator whose sequence depends on the seed alone.
    struct SeededGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in `0..<count`.
        mutating func below(_ count: Int) -> Int { Int(next() % UInt64(count)) }

        /// True with probability `percent` / 100.
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

        mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    }

    /// A piece of a generated pattern, which can write itself in PCRE2 syntax and make text it matches.
    indirect enum Piece {
        /// Plain text (letters, digits, `-`, `:`, space and `.`, escaped).
        case text(String)
        /// A class as written, and bytes it matches.
        case byteClass(String, members: [UInt8])
        /// `.` or `\d`.
        case wildcard(String)
        /// `^`, `$` or `\b`: matches no text.
        case assertion(String)
        /// Pieces one after the other.
        case sequence([Piece])
        /// `(a|b)`, `(?:a|b)`; a branch may be empty.
        case alternation([Piece], capturing: Bool)
        /// A piece under a quantifier as written (`?`, `*?`, `{2,3}`, …) repeated `minimum...maximum` times.
        case repeated(Piece, quantifier: String, minimum: Int, maximum: Int)
        /// `(?i:…)`.
        case caseless(Piece)
        /// `(?i)` or `(?-i)`, for the rest of the enclosing group.
        case setCase(on: Bool)

        var source: String {
            switch self {
            case .text(let text): text.replacingOccurrences(of: ".", with: #"\."#)
            case .byteClass(let source, _), .wildcard(let source), .assertion(let source): source
            case .sequence(let pieces): pieces.map(\.source).joined()
            case .alternation(let branches, let capturing):
                (capturing ? "(" : "(?:") + branches.map(\.source).joined(separator: "|") + ")"
            case .repeated(let piece, let quantifier, _, _):
                (piece.isAtom ? piece.source : "(?:\(piece.source))") + quantifier
            case .caseless(let piece): "(?i:\(piece.source))"
            case .setCase(let on): on ? "(?i)" : "(?-i)"
            }
        }

        /// Whether a quantifier after the piece's source repeats all of it.
        var isAtom: Bool {
            switch self {
            case .text(let text): text.utf8.count == 1
            case .byteClass, .wildcard, .alternation, .caseless: true
            case .assertion, .sequence, .repeated, .setCase: false
            }
        }

        /// Appends text the piece matches (ignoring case: `mixCase` may change it later).
        func sample(into line: inout [UInt8], _ random: inout SeededGenerator) {
            switch self {
            case .text(let text): line += Array(text.utf8)
            case .byteClass(_, let members): line.append(random.pick(members))
            case .wildcard(let source): line.append(source == "." ? random.pick(Array("x-7 Q".utf8)) : 0x35)
            case .assertion(let source): if source == #"\b"# { line.append(0x20) }
            case .sequence(let pieces): for piece in pieces { piece.sample(into: &line, &random) }
            case .alternation(let branches, _): random.pick(branches).sample(into: &line, &random)
            case .repeated(let piece, _, let minimum, let maximum):
                for _ in 0..<(minimum + random.below(maximum - minimum + 1)) { piece.sample(into: &line, &random) }
            case .caseless(let piece): piece.sample(into: &line, &random)
            case .setCase: break
            }
        }
    }

    static let words = ["a", "b", "E", "x", "ab", "Err", "fail", "ED", "q.z", "7", "-", ":", " ", "OOM", "kill"]
    static let classes: [(String, [UInt8])] = [
        ("[abc]", Array("abc".utf8)), ("[a-c]", Array("abc".utf8)), ("[A-Ca-c]", Array("ABCabc".utf8)),
        ("[aA]", Array("aA".utf8)), ("[xyz]", Array("xyz".utf8)), ("[-.:]", Array("-.:".utf8)),
        ("[0-9]", Array("0123456789".utf8)), ("[a-z]", Array("kqz".utf8)), ("[^a-c]", Array("xQ7".utf8)),
        ("[Ee]", Array("Ee".utf8)),
    ]
    static let quantifiers: [(String, Int, Int)] = [
        ("?", 0, 1), ("??", 0, 1), ("*", 0, 2), ("+", 1, 2), ("+?", 1, 2), ("*+", 0, 2), ("{0}", 0, 0),
        ("{1}", 1, 1), ("{2}", 2, 2), ("{0,1}", 0, 1), ("{1,3}", 1, 3), ("{2,}", 2, 3),
    ]

    static func piece(depth: Int, _ random: inout SeededGenerator) -> Piece {
        let leaf = depth == 0 || random.chance(35)
        if leaf {
            switch random.below(10) {
            case 0...4: return .text(random.pick(words))
            case 5, 6:
                let (source, members) = random.pick(classes)
                return .byteClass(source, members: members)
            case 7: return .wildcard(random.pick([".", #"\d"#]))
            case 8: return .assertion(random.pick(["^", "$", #"\b"#]))
            default: return .setCase(on: random.chance(60))
            }
        }
        switch random.below(5) {
        case 0, 1:
            return .sequence((0..<(2 + random.below(3))).map { _ in piece(depth: depth - 1, &random) })
        case 2:
            let branches = (0..<(2 + random.below(3))).map { _ in
                random.chance(10) ? Piece.sequence([]) : piece(depth: depth - 1, &random)
            }
            return .alternation(branches, capturing: random.chance(50))
        case 3:
            let (quantifier, minimum, maximum) = random.pick(quantifiers)
            var inner = piece(depth: depth - 1, &random)
            if case .setCase = inner { inner = .text(random.pick(words)) }  // PCRE2 rejects a quantified (?i)
            return .repeated(inner, quantifier: quantifier, minimum: minimum, maximum: maximum)
        default:
            return .caseless(piece(depth: depth - 1, &random))
        }
    }

    /// Flips the case of some letters.
    static func mixCase(_ line: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        line.map { byte in
            let letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            return letter && random.chance(40) ? byte ^ 0x20 : byte
        }
    }

    static func noise(_ random: inout SeededGenerator, upTo length: Int) -> [UInt8] {
        let alphabet = Array("abcxyzABCEQ0127 -:.Errfailkill".utf8)
        return (0..<random.below(length + 1)).map { _ in random.pick(alphabet) }
    }

    /// Whether `line` contains one literal of every group of `requirements`.
    static func kept(_ line: [UInt8], by requirements: LiteralRequirements) -> Bool {
        let text = requirements.caseInsensitive ? LiteralExtractor.fold(line) : line
        return requirements.groups.allSatisfy { group in
            group.contains { literal in
                literal.count <= text.count
                    && (0...(text.count - literal.count)).contains {
                        text[$0..<($0 + literal.count)].elementsEqual(literal)
                    }
            }
        }
    }

    static func describe(_ requirements: LiteralRequirements) -> String {
        let groups = requirements.groups.map { group in
            "{" + group.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: " ") + "}"
        }
        return groups.joined(separator: " ") + (requirements.caseInsensitive ? " regardless of case" : "")
    }

    @Test func everyLinePCRE2MatchesContainsTheRequiredLiterals() throws {
        var random = SeededGenerator(seed: 0x5EED_2024)
        var compiled = 0
        var matched = 0
        var matchedWithLiterals = 0
        var failures: [String] = []
        for round in 0..<10_000 {
            let pieces = (0..<(1 + random.below(4))).map { _ in Self.piece(depth: 3, &random) }
            let root: Piece
            let source: String
            if random.chance(15) {
                // Alternatives at the top level: `a|b`, not in a group.
                let branches = pieces + [Self.piece(depth: 2, &random)]
                root = .alternation(branches, capturing: false)
                source = branches.map(\.source).joined(separator: "|")
            } else {
                root = .sequence(pieces)
                source = root.source
            }
            let pattern = Pattern(source, caseInsensitive: random.chance(20))
            guard let regex = try? CompiledRegex(pattern) else { continue }
            compiled += 1
            let state = try #require(regex.makeMatchState())
            let requirements = LiteralExtractor.requirements(of: pattern)
            for attempt in 0..<10 {
                var line: [UInt8]
                if attempt < 7 {
                    line = Self.noise(&random, upTo: attempt < 4 ? 0 : 6)
                    root.sample(into: &line, &random)
                    line += Self.noise(&random, upTo: attempt < 4 ? 0 : 6)
                    if random.chance(50) { line = Self.mixCase(line, &random) }
                } else {
                    line = Self.noise(&random, upTo: 24)
                }
                guard line.withUnsafeBytes({ regex.matches($0, state: state) }) else { continue }
                matched += 1
                if !requirements.groups.isEmpty { matchedWithLiterals += 1 }
                if !Self.kept(line, by: requirements) {
                    let text = String(decoding: line, as: UTF8.self).debugDescription
                    failures.append(
                        "round \(round): \(source) (caseless \(pattern.caseInsensitive)) matches \(text), "
                            + "requirements \(Self.describe(requirements))")
                }
            }
        }
        let dropped = failures.count
        #expect(dropped == 0, "first ones:\n\(failures.prefix(5).joined(separator: "\n"))")
        // The check has teeth: many matched lines, many of them under some requirement.
        #expect(compiled > 9_000)
        #expect(matched > 40_000)
        #expect(matchedWithLiterals > 20_000)
    }
}
