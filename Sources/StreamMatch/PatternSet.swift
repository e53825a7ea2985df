/// Many patterns compiled once, to be matched against lines together.
///
/// Compiling extracts from each pattern the literals any match must contain (`LiteralRequirements`)
/// and builds one `AtomFilter` over the most selective literal group of every pattern. A search then
/// makes one pass over the bytes with that filter; PCRE2 (with JIT) confirms only the patterns whose
/// literals occur, only on the lines where they occur. Patterns whose literals alone decide the match
/// (plain strings, alternations of strings) need no confirmation at all. Patterns with no literal of
/// at least four bytes are confirmed on every line and listed in `unfiltered`.
///
/// Immutable and `Sendable`: compile it once, then share it between any number of searches, each of
/// which takes its own `Session`.
public final class PatternSet: Sendable {
    /// The compiled patterns, in the order given.
    public let regexes: [CompiledRegex]
    /// What each pattern requires of a line, by pattern index.
    public let requirements: [LiteralRequirements]
    /// The indexes of the patterns without a usable literal: they are confirmed on every line.
    public let unfiltered: [Int]

    let filter: AtomFilter?
    /// For each atom of the filter, the patterns whose chosen group holds it.
    let atomPatterns: [[Int32]]
    /// For each pattern, the requirement groups other than the one the filter searches for.
    let otherGroups: [[[[UInt8]]]]
    /// For each pattern, whether a filter hit is already a match.
    let decidedByFilter: [Bool]

    /// Compiles every pattern of `patterns`.
    ///
    /// - Parameter patterns: The patterns, whose indexes identify them in hits.
    /// - Throws: `PatternError.invalid` for the first pattern PCRE2 rejects.
    public init(_ patterns: [Pattern]) throws(PatternError) {
        var compiled: [CompiledRegex] = []
        compiled.reserveCapacity(patterns.count)
        for (index, pattern) in patterns.enumerated() {
            compiled.append(try CompiledRegex(pattern, index: index))
        }
        regexes = compiled
        let requirements = patterns.map(LiteralExtractor.requirements(of:))
        self.requirements = requirements

        var atoms: [AtomFilter.Atom] = []
        var atomIndex: [AtomFilter.Atom: Int] = [:]
        var atomPatterns: [[Int32]] = []
        var unfiltered: [Int] = []
        var otherGroups: [[[[UInt8]]]] = []
        var decided: [Bool] = []
        for (index, requirement) in requirements.enumerated() {
            let usable = requirement.groups.enumerated().filter { $0.element.allSatisfy { $0.count >= AtomFilter.q } }
            guard let best = usable.max(by: { Self.score($0.element) < Self.score($1.element) }) else {
                unfiltered.append(index)
                otherGroups.append(requirement.groups)
                decided.append(false)
                continue
            }
            for literal in best.element {
                let atom = AtomFilter.Atom(bytes: literal, caseInsensitive: requirement.caseInsensitive)
                let id: Int
                if let known = atomIndex[atom] {
                    id = known
                } else {
                    id = atoms.count
                    atoms.append(atom)
                    atomIndex[atom] = id
                    atomPatterns.append([])
                }
                if atomPatterns[id].last != Int32(index) { atomPatterns[id].append(Int32(index)) }
            }
            var others = requirement.groups
            others.remove(at: best.offset)
            otherGroups.append(others)
            decided.append(requirement.isExactLiteral)
        }
        filter = atoms.isEmpty ? nil : AtomFilter(atoms: atoms)
        self.atomPatterns = atomPatterns
        self.unfiltered = unfiltered
        self.otherGroups = otherGroups
        self.decidedByFilter = decided
    }

    /// How selective a literal group is: long literals are rare, many alternatives are not.
    static func score(_ group: [[UInt8]]) -> Int {
        (min(group.map(\.count).min() ?? 0, 16)) * 64 - group.count
    }

    /// The number of patterns in the set.
    public var count: Int { regexes.count }

    /// The number of distinct literals the prefilter searches for.
    public var atomCount: Int { filter?.atoms.count ?? 0 }

    /// Makes the per-search matcher for this set.
    ///
    /// - Parameter firstMatchPerLine: Whether to stop at the first pattern that matches a line (enough
    ///   to count matching lines); by default every matching pattern of every line is reported.
    /// - Returns: A session; not thread-safe, one per search.
    public func makeSession(firstMatchPerLine: Bool = false) -> Session {
        Session(set: self, firstMatchPerLine: firstMatchPerLine)
    }

    /// The matcher of one search over a `PatternSet`: it owns the PCRE2 match data and scratch space.
    public struct Session: BlockMatcher {
        /// The set this session matches.
        public let patternSet: PatternSet
        /// Whether the first matching pattern of a line ends that line's evaluation.
        public let firstMatchPerLine: Bool
        private var states: [CompiledRegex.MatchState?]
        private var hitStarts: [Int] = []
        private var hitAtoms: [Int32] = []
        private var stamps: [UInt32]
        private var generation: UInt32 = 0
        private var candidates: [Int32] = []

        init(set: PatternSet, firstMatchPerLine: Bool) {
            patternSet = set
            self.firstMatchPerLine = firstMatchPerLine
            states = Array(repeating: nil, count: set.count)
            stamps = Array(repeating: 0, count: set.count)
        }

        /// The number of patterns in the set.
        public var patternCount: Int { patternSet.count }

        /// Finds the matching (pattern, line) pairs of `block`: one filter pass for the literals, then
        /// confirmation of the candidate patterns on the candidate lines.
        ///
        /// - Parameters:
        ///   - block: Whole lines.
        ///   - report: Called once per hit, lines in ascending order; returns false to stop.
        /// - Returns: False when `report` asked to stop.
        public mutating func scan(block: UnsafeRawBufferPointer, report: (LineHit) -> Bool) -> Bool {
            guard let base = block.baseAddress, block.count > 0 else { return true }
            hitStarts.removeAll(keepingCapacity: true)
            hitAtoms.removeAll(keepingCapacity: true)
            if let filter = patternSet.filter {
                filter.scan(block) { atom, start in
                    hitStarts.append(start)
                    hitAtoms.append(Int32(atom))
                }
            }
            let count = block.count
            if patternSet.unfiltered.isEmpty {
                // Only the lines where a literal occurs.
                var k = 0
                while k < hitStarts.count {
                    let start = hitStarts[k]
                    let lineStart = ByteSearch.lastIndex(of: 0x0A, in: base, count: start).map { $0 + 1 } ?? 0
                    let newline = ByteSearch.index(of: 0x0A, in: base + start, count: count - start).map { $0 + start }
                    let lineEnd = newline ?? count
                    beginLine()
                    while k < hitStarts.count, hitStarts[k] < lineEnd {
                        addCandidates(ofAtom: Int(hitAtoms[k]))
                        k += 1
                    }
                    if !evaluateLine(base: base, start: lineStart, end: lineEnd, report: report) { return false }
                }
                return true
            }
            // Some patterns are confirmed on every line: walk all lines, merging in the literal hits.
            var k = 0
            var lineStart = 0
            while lineStart < count {
                let newline = ByteSearch.index(of: 0x0A, in: base + lineStart, count: count - lineStart).map { $0 + lineStart }
                let lineEnd = newline ?? count
                beginLine()
                while k < hitStarts.count, hitStarts[k] < lineEnd {
                    addCandidates(ofAtom: Int(hitAtoms[k]))
                    k += 1
                }
                for index in patternSet.unfiltered { addCandidate(Int32(index)) }
                if !evaluateLine(base: base, start: lineStart, end: lineEnd, report: report) { return false }
                lineStart = lineEnd + 1
            }
            return true
        }

        private mutating func beginLine() {
            candidates.removeAll(keepingCapacity: true)
            generation &+= 1
            if generation == 0 {
                for index in stamps.indices { stamps[index] = 0 }
                generation = 1
            }
        }

        @inline(__always)
        private mutating func addCandidates(ofAtom atom: Int) {
            for pattern in patternSet.atomPatterns[atom] { addCandidate(pattern) }
        }

        @inline(__always)
        private mutating func addCandidate(_ pattern: Int32) {
            let index = Int(pattern)
            if stamps[index] != generation {
                stamps[index] = generation
                candidates.append(pattern)
            }
        }

        /// Confirms the candidates on the line `[start, end)` (its `\n` excluded) and reports the matches.
        private mutating func evaluateLine(
            base: UnsafeRawPointer, start: Int, end: Int, report: (LineHit) -> Bool
        ) -> Bool {
            guard !candidates.isEmpty else { return true }
            var contentEnd = end
            if contentEnd > start, base.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 0x0D { contentEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: contentEnd - start)
            if candidates.count > 1 { candidates.sort() }
            for candidate in candidates {
                let index = Int(candidate)
                if !patternSet.decidedByFilter[index] {
                    let requirement = patternSet.requirements[index]
                    guard
                        patternSet.otherGroups[index].allSatisfy({ group in
                            group.contains { ByteSearch.contains($0, in: line, caseInsensitive: requirement.caseInsensitive) }
                        })
                    else { continue }
                    if states[index] == nil { states[index] = patternSet.regexes[index].makeMatchState() }
                    guard let state = states[index], patternSet.regexes[index].matches(line, state: state) else { continue }
                } else if contentEnd < end, !Self.literalFits(patternSet.requirements[index], before: contentEnd, in: line) {
                    // A literal found across the line's trailing CR is not in the line's content.
                    continue
                }
                if !report(LineHit(pattern: index, lineStart: start, lineEnd: contentEnd)) { return false }
                if firstMatchPerLine { break }
            }
            return true
        }

        /// Whether one of the requirement's literals occurs within `line` (which excludes a trailing CR).
        private static func literalFits(_ requirement: LiteralRequirements, before end: Int, in line: UnsafeRawBufferPointer) -> Bool {
            requirement.groups.first?.contains { ByteSearch.contains($0, in: line, caseInsensitive: requirement.caseInsensitive) } ?? true
        }

        /// Returns the named groups of pattern `index`'s first match in `line`.
        ///
        /// - Parameters:
        ///   - index: The pattern's index in the set.
        ///   - line: The line's bytes, without its line end.
        /// - Returns: Group name to matched text.
        public mutating func namedCaptures(pattern index: Int, in line: UnsafeRawBufferPointer) -> [String: String] {
            guard patternSet.regexes.indices.contains(index) else { return [:] }
            if states[index] == nil { states[index] = patternSet.regexes[index].makeMatchState() }
            guard let state = states[index] else { return [:] }
            return patternSet.regexes[index].namedCaptures(in: line, state: state)
        }
    }
}
