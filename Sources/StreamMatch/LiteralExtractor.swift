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

/// Extracts `LiteralRequirements` from a pattern's `RegexSyntax` tree.
///
/// Literals come from literal nodes, small byte classes, and concatenations and alternations of them;
/// `anything`, assertions and lookarounds contribute no requirement, and a quantifier that allows zero
/// repetitions drops what its node requires.
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
        let tree = RegexSyntax.parse(Array(pattern.source.utf8))
        var walker = Walker(caseInsensitive: pattern.caseInsensitive)
        let info = walker.info(of: tree)
        let caseInsensitive = pattern.caseInsensitive || walker.sawCaseInsensitive
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
        let uniformCase = pattern.caseInsensitive || !walker.sawCaseInsensitive || startsCaseInsensitive(tree)
        let exactLiteral = info.exact != nil && !walker.sawZeroWidth && groups.count == 1 && uniformCase
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

    /// Whether the pattern starts with `(?i)`, which makes all of it case-insensitive.
    private static func startsCaseInsensitive(_ node: RegexSyntax) -> Bool {
        switch node {
        case .setFlags(let flags): flags.letters == [UInt8(ascii: "i")]
        case .concatenation(let items): items.first.map(startsCaseInsensitive) ?? false
        case .alternation(let branches): branches.first.map(startsCaseInsensitive) ?? false
        case .repetition(let node, _): startsCaseInsensitive(node)
        default: false
        }
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

    /// Reads a tree in pattern order, with the flags in force where each node stands.
    struct Walker {
        /// Whether `i` is in force at the node being read.
        var caseInsensitive: Bool
        /// Whether `i` was turned on anywhere so far.
        var sawCaseInsensitive = false
        /// Whether an assertion or a lookaround was read so far.
        var sawZeroWidth = false

        /// Returns what `node` matches, in literal terms; under `i` its literals are in lower case.
        mutating func info(of node: RegexSyntax) -> Info {
            switch node {
            case .empty:
                return .empty
            case .literal(let bytes):
                return Info(exact: [caseInsensitive ? fold(bytes) : bytes], required: [])
            case .characterClass(let byteClass):
                return info(of: byteClass)
            case .anything:
                return .unknown
            case .assertion:
                sawZeroWidth = true
                return .empty
            case .setFlags(let flags):
                if flags.resets { caseInsensitive = false }
                apply(flags)
                return .empty
            case .group(let kind, let body):
                if case .flags(let flags) = kind, flags.resets { caseInsensitive = false }
                let saved = caseInsensitive
                if case .flags(let flags) = kind { apply(flags) }
                let inner = info(of: body)
                caseInsensitive = saved
                guard !kind.isLookaround else {
                    sawZeroWidth = true
                    return .empty
                }
                return inner
            case .repetition(let node, let repetition):
                return LiteralExtractor.info(of: info(of: node), repeated: repetition)
            case .concatenation(let items):
                return concatenate(items.map { info(of: $0) })
            case .alternation(let branches):
                return alternate(branches.map { info(of: $0) })
            }
        }

        /// Turns `i` on or off as `flags` say.
        private mutating func apply(_ flags: RegexSyntax.Flags) {
            if flags.setsCaseInsensitive {
                sawCaseInsensitive = true
                caseInsensitive = true
            }
            if flags.clearsCaseInsensitive { caseInsensitive = false }
        }

        /// A class of at most 8 bytes (before folding) is its bytes; a larger or negated one is unknown.
        private func info(of byteClass: RegexSyntax.ByteClass) -> Info {
            guard !byteClass.negated, byteClass.ranges.allSatisfy({ $0.count <= 8 }) else { return .unknown }
            var members: Set<UInt8> = []
            for range in byteClass.ranges { members.formUnion(range) }
            guard !members.isEmpty, members.count <= 8 else { return .unknown }
            let all = caseInsensitive ? Set(members.map(fold)) : members
            return Info(exact: all.sorted().map { [$0] }, required: [])
        }
    }

    // MARK: Combining

    /// What a node under `repetition` matches, given what one occurrence of it matches.
    static func info(of atom: Info, repeated repetition: RegexSyntax.Repetition) -> Info {
        if repetition.minimum == 0 {
            if repetition.maximum == 1, let exact = atom.exact, exact.count < maxAlternatives {
                return Info(exact: exact + [[]], required: [])
            }
            return .unknown
        }
        if repetition.minimum == 1, repetition.maximum == 1 { return atom }
        // At least one occurrence: it requires what one occurrence requires.
        return Info(exact: nil, required: atom.exact.map { [$0] } ?? atom.required)
    }

    static func concatenate(_ pieces: [Info]) -> Info {
        var required: [[[UInt8]]] = []
        var current: [[UInt8]]? = [[]]
        var broken = false
        func flush() {
            if let set = current, !set.contains(where: \.isEmpty) { required.append(set) }
        }
        for piece in pieces {
            if let exact = piece.exact, exact.count == 1, var set = current {
                // One more fixed piece (most often a run of bytes): extend in place.
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
}
