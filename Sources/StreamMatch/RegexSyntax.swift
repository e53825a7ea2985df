/// A PCRE2 pattern as a syntax tree: what the literal extractor reads instead of the pattern's text.
///
/// The tree is over bytes, as `CompiledRegex` matches (no UTF mode): a quantifier after a multi-byte
/// character repeats its last byte. Inline flags stay where they were written
/// (`setFlags`, `Group.Kind.flags`), so a reader applies them in pattern order, as PCRE2 does.
///
/// Whatever the tree does not describe is `anything`: a construct that stands for many strings
/// (`.`, `\d`, a POSIX class), one whose text depends on the match (a backreference), and, for the
/// whole pattern, syntax the parser cannot follow (`(?x)`, recursion, conditionals, verbs, a pattern
/// PCRE2 rejects). A reader that treats `anything` as "may match any text" stays conservative.
indirect enum RegexSyntax: Hashable, Sendable {
    /// The empty string: an empty pattern or branch, a comment `(?#…)`, `\E`, `\Q\E`.
    case empty
    /// These bytes, in order: plain bytes, escaped punctuation, `\n`-style and `\xHH` escapes, `\Q…\E` text.
    case literal([UInt8])
    /// One byte of the class, or one outside it when negated: `[abc]`, `[a-f]`, `[^\n]`.
    case characterClass(ByteClass)
    /// Text the tree does not describe, possibly empty.
    case anything
    /// The empty string where a condition holds: `^`, `$`, `\b`, `\A`, ….
    case assertion(Assertion)
    /// Flags changed from here to the end of the enclosing group: `(?i)`, `(?-i)`, `(?^)`.
    case setFlags(Flags)
    /// A parenthesised part of the pattern.
    case group(Group.Kind, RegexSyntax)
    /// A node under a quantifier.
    case repetition(RegexSyntax, Repetition)
    /// Nodes one after the other (at least two).
    case concatenation([RegexSyntax])
    /// Alternatives (at least two), in the order written.
    case alternation([RegexSyntax])

    /// Parses PCRE2 pattern syntax; a pattern the parser cannot follow is `anything`.
    static func parse(_ source: [UInt8]) -> RegexSyntax {
        RegexParser.parse(source)
    }

    /// A byte class: the bytes of its ranges (a single byte is a range of one), or the others when negated.
    struct ByteClass: Hashable, Sendable {
        /// Whether the class is written `[^…]`.
        var negated: Bool
        /// The ranges in the order written; `[a-cx]` is `a...c` and `x...x`.
        var ranges: [ClosedRange<UInt8>]
    }

    /// A zero-width condition.
    enum Assertion: Hashable, Sendable {
        /// `^`
        case lineStart
        /// `$`
        case lineEnd
        /// `\b`
        case wordBoundary
        /// `\B`
        case notWordBoundary
        /// `\A`
        case subjectStart
        /// `\z`
        case subjectEnd
        /// `\Z`: the end of the subject or before a newline that ends it.
        case subjectEndOrFinalNewline
        /// `\G`: where the search started.
        case searchStart
        /// `\K`: the reported match starts here.
        case matchStartReset
    }

    /// Inline flags as written between `(?` and `)` or `:`: `i`, `-i`, `^`, `im-s`.
    struct Flags: Hashable, Sendable {
        /// The flag letters, `-` and `^`, in the order written.
        var letters: [UInt8]

        /// Whether `i` is turned on (an `i` before any `-`).
        var setsCaseInsensitive: Bool {
            guard let i = letters.firstIndex(of: UInt8(ascii: "i")) else { return false }
            return letters.firstIndex(of: UInt8(ascii: "-")).map { i < $0 } ?? true
        }

        /// Whether `i` is turned off (an `i` after a `-`).
        var clearsCaseInsensitive: Bool {
            guard let i = letters.firstIndex(of: UInt8(ascii: "i")) else { return false }
            return letters.firstIndex(of: UInt8(ascii: "-")).map { i > $0 } ?? false
        }

        /// Whether the flags start with `^`, which first turns the flags it resets (`i` among them) off.
        var resets: Bool { letters.first == UInt8(ascii: "^") }
    }

    /// A parenthesised part of the pattern.
    enum Group {
        /// What the parentheses mean.
        enum Kind: Hashable, Sendable {
            /// `(…)`
            case capturing
            /// `(?<name>…)`, `(?'name'…)` or `(?P<name>…)`.
            case named([UInt8])
            /// `(?:…)`
            case nonCapturing
            /// `(?>…)`
            case atomic
            /// `(?|…)`
            case branchReset
            /// `(?i:…)`: non-capturing, with flags changed inside it.
            case flags(Flags)
            /// `(?=…)`
            case lookahead
            /// `(?!…)`
            case negativeLookahead
            /// `(?<=…)`
            case lookbehind
            /// `(?<!…)`
            case negativeLookbehind

            /// Whether the group is a zero-width condition on the text around rather than part of the match.
            var isLookaround: Bool {
                switch self {
                case .lookahead, .negativeLookahead, .lookbehind, .negativeLookbehind: true
                default: false
                }
            }
        }
    }

    /// How often a quantified node repeats, and how the matcher tries the counts.
    struct Repetition: Hashable, Sendable {
        /// How the matcher tries repetition counts.
        enum Mode: Hashable, Sendable {
            /// Most first (`*`, `{2,3}`).
            case greedy
            /// Fewest first (`*?`).
            case lazy
            /// Most, never giving any back (`*+`).
            case possessive
        }

        /// The fewest repetitions.
        var minimum: Int
        /// The most repetitions; nil when unbounded.
        var maximum: Int?
        /// How the counts are tried.
        var mode: Mode
    }
}
