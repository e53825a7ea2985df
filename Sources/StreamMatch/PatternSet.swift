import Dispatch

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
public final class PatternSet: @unchecked Sendable {
    // Safety: the unsafe tables below are written in `init` only, freed in `deinit`, read-only between.

    /// The compiled patterns, in the order given.
    public let regexes: [CompiledRegex]
    /// What each pattern requires of a line, by pattern index.
    public let requirements: [LiteralRequirements]
    /// The indexes of the patterns without a usable literal: they are confirmed on every line.
    public let unfiltered: [Int]

    /// The most requirement groups of one pattern the filter tracks (one bit each).
    static let maxFilterGroups = 1

    let filter: AtomFilter?
    /// For atom `a`, its references are `refPattern[refStart[a]..<refStart[a+1]]`, with the bit of the
    /// pattern's group that holds the atom in `refBit`.
    private let refStart: UnsafeMutablePointer<Int32>
    private let refPattern: UnsafeMutablePointer<Int32>
    private let refBit: UnsafeMutablePointer<UInt8>
    /// For each pattern, the mask of its groups the filter tracks: all must hit on a line.
    let fullMask: UnsafeMutablePointer<UInt8>
    /// For each pattern, the requirement groups the filter does not track (literals under 4 bytes).
    let otherGroups: [[[Needle]]]
    /// For each pattern, whether a filter hit is already a match.
    let decidedByFilter: [Bool]
    /// For each pattern, whether its literals compare regardless of case.
    let caseInsensitive: [Bool]

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
        var refs: [[(pattern: Int32, bit: UInt8)]] = []
        var unfiltered: [Int] = []
        var otherGroups: [[[Needle]]] = []
        var decided: [Bool] = []
        var masks: [UInt8] = []
        for (index, requirement) in requirements.enumerated() {
            let tracked = requirement.groups.enumerated()
                .filter { $0.element.allSatisfy { $0.count >= AtomFilter.q } }
                .sorted { Self.score($0.element) > Self.score($1.element) }
                .prefix(Self.maxFilterGroups)
            guard !tracked.isEmpty else {
                unfiltered.append(index)
                otherGroups.append(requirement.groups.map { $0.map(Needle.init) })
                decided.append(false)
                masks.append(0)
                continue
            }
            for (bitIndex, group) in tracked.enumerated() {
                for literal in group.element {
                    let atom = AtomFilter.Atom(bytes: literal, caseInsensitive: requirement.caseInsensitive)
                    let id: Int
                    if let known = atomIndex[atom] {
                        id = known
                    } else {
                        id = atoms.count
                        atoms.append(atom)
                        atomIndex[atom] = id
                        refs.append([])
                    }
                    let bit = UInt8(1) << UInt8(bitIndex)
                    if let last = refs[id].last, last.pattern == Int32(index) {
                        refs[id][refs[id].count - 1].bit |= bit
                    } else {
                        refs[id].append((Int32(index), bit))
                    }
                }
            }
            let trackedOffsets = Set(tracked.map(\.offset))
            otherGroups.append(
                requirement.groups.enumerated().filter { !trackedOffsets.contains($0.offset) }.map { $0.element.map(Needle.init) })
            decided.append(requirement.isExactLiteral && tracked.count == 1)
            masks.append(UInt8(truncatingIfNeeded: (1 << tracked.count) - 1))
        }
        filter = atoms.isEmpty ? nil : AtomFilter(atoms: atoms)
        self.unfiltered = unfiltered
        self.otherGroups = otherGroups
        self.decidedByFilter = decided
        caseInsensitive = requirements.map(\.caseInsensitive)
        refStart = .allocate(capacity: refs.count + 1)
        let total = refs.reduce(0) { $0 + $1.count }
        refPattern = .allocate(capacity: max(1, total))
        refBit = .allocate(capacity: max(1, total))
        var position = 0
        for (atom, list) in refs.enumerated() {
            refStart[atom] = Int32(position)
            for ref in list {
                refPattern[position] = ref.pattern
                refBit[position] = ref.bit
                position += 1
            }
        }
        refStart[refs.count] = Int32(position)
        fullMask = .allocate(capacity: max(1, masks.count))
        fullMask.initialize(from: masks, count: masks.count)
    }

    deinit {
        refStart.deallocate()
        refPattern.deallocate()
        refBit.deallocate()
        fullMask.deallocate()
    }

    @inline(__always)
    func refStartAt(_ atom: Int) -> Int32 { refStart[atom] }

    @inline(__always)
    func reference(_ index: Int) -> (Int32, UInt8) { (refPattern[index], refBit[index]) }

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
        private var masks: [UInt8]
        private var generation: UInt32 = 0
        private var candidates: [Int32] = []
        /// With profiling on: per pattern, candidate lines confirmed and the nanoseconds spent on them.
        public private(set) var confirmations: [Int] = []
        public private(set) var confirmNanoseconds: [UInt64] = []
        /// Whether confirmation costs are measured (`confirmations`, `confirmNanoseconds`).
        public var profiling = false {
            didSet {
                if profiling, confirmations.isEmpty {
                    confirmations = Array(repeating: 0, count: patternSet.count)
                    confirmNanoseconds = Array(repeating: 0, count: patternSet.count)
                }
            }
        }

        init(set: PatternSet, firstMatchPerLine: Bool) {
            patternSet = set
            self.firstMatchPerLine = firstMatchPerLine
            states = Array(repeating: nil, count: set.count)
            stamps = Array(repeating: 0, count: set.count)
            masks = Array(repeating: 0, count: set.count)
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
            let count = block.count
            if patternSet.unfiltered.isEmpty {
                // Only the lines where a literal occurs, evaluated as the filter moves past them.
                guard let filter = patternSet.filter else { return true }
                var cursor = 0  // the start of the first line not yet passed
                var lineStart = 0
                var lineEnd = -1
                var haveLine = false
                var stopped = false
                var candidatesConfirmed = 0  // in first-match mode, candidates are confirmed as they come
                filter.scan(block) { atom, start in
                    if !haveLine || start >= lineEnd {
                        if haveLine {
                            if candidatesConfirmed < candidates.count,
                                !evaluateLine(base: base, start: lineStart, end: lineEnd, report: report)
                            {
                                stopped = true
                                return count
                            }
                            cursor = lineEnd + 1
                        }
                        lineStart = cursor
                        while let newline = ByteSearch.index(of: 0x0A, in: base + lineStart, count: start - lineStart) {
                            lineStart += newline + 1
                        }
                        lineEnd = ByteSearch.index(of: 0x0A, in: base + start, count: count - start).map { $0 + start } ?? count
                        beginLine()
                        candidatesConfirmed = 0
                        haveLine = true
                    }
                    let before = candidates.count
                    addCandidates(ofAtom: atom)
                    guard firstMatchPerLine, candidates.count > before else { return -1 }
                    // Only whether the line matches counts: confirm new candidates now, and once one
                    // matches, report the line and skip the rest of it.
                    for position in before..<candidates.count {
                        let pattern = Int(candidates[position])
                        guard let contentEnd = confirm(pattern, base: base, start: lineStart, end: lineEnd) else { continue }
                        haveLine = false
                        cursor = lineEnd + 1
                        if !report(LineHit(pattern: pattern, lineStart: lineStart, lineEnd: contentEnd)) {
                            stopped = true
                            return count
                        }
                        return cursor
                    }
                    candidatesConfirmed = candidates.count
                    return -1
                }
                if haveLine, !stopped, candidatesConfirmed < candidates.count,
                    !evaluateLine(base: base, start: lineStart, end: lineEnd, report: report)
                {
                    return false
                }
                return !stopped
            }
            hitStarts.removeAll(keepingCapacity: true)
            hitAtoms.removeAll(keepingCapacity: true)
            patternSet.filter?.scan(block) { atom, start in
                hitStarts.append(start)
                hitAtoms.append(Int32(atom))
                return -1
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

        /// Marks the groups the atom satisfies; a pattern becomes a candidate when all its tracked
        /// groups are satisfied on the line. Returns whether a pattern the filter decides became one.
        @inline(__always)
        @discardableResult
        private mutating func addCandidates(ofAtom atom: Int) -> Bool {
            var decided = false
            let set = patternSet
            var ref = Int(set.refStartAt(atom))
            let end = Int(set.refStartAt(atom + 1))
            while ref < end {
                let (pattern, bit) = set.reference(ref)
                let index = Int(pattern)
                if stamps[index] != generation {
                    stamps[index] = generation
                    masks[index] = 0
                }
                let before = masks[index]
                let after = before | bit
                if after != before {
                    masks[index] = after
                    if after == set.fullMask[index] {
                        candidates.append(pattern)
                        if set.decidedByFilter[index] { decided = true }
                    }
                }
                ref += 1
            }
            return decided
        }

        @inline(__always)
        private mutating func addCandidate(_ pattern: Int32) {
            let index = Int(pattern)
            if stamps[index] != generation {
                stamps[index] = generation
                masks[index] = 0
                candidates.append(pattern)
            }
        }

        /// Confirms the candidates on the line `[start, end)` (its `\n` excluded) and reports the matches.
        private mutating func evaluateLine(
            base: UnsafeRawPointer, start: Int, end: Int, report: (LineHit) -> Bool
        ) -> Bool {
            guard !candidates.isEmpty else { return true }
            if candidates.count > 1 { candidates.sort() }
            for candidate in candidates {
                guard let contentEnd = confirm(Int(candidate), base: base, start: start, end: end) else { continue }
                if !report(LineHit(pattern: Int(candidate), lineStart: start, lineEnd: contentEnd)) { return false }
                if firstMatchPerLine { break }
            }
            return true
        }

        /// Whether pattern `index` matches the line `[start, end)`: the end of the line's content (a
        /// trailing CR excluded) when it does, nil when it does not.
        private mutating func confirm(_ index: Int, base: UnsafeRawPointer, start: Int, end: Int) -> Int? {
            guard profiling else { return confirmLine(index, base: base, start: start, end: end) }
            let started = DispatchTime.now().uptimeNanoseconds
            let result = confirmLine(index, base: base, start: start, end: end)
            confirmations[index] += 1
            confirmNanoseconds[index] += DispatchTime.now().uptimeNanoseconds - started
            return result
        }

        private mutating func confirmLine(_ index: Int, base: UnsafeRawPointer, start: Int, end: Int) -> Int? {
            var contentEnd = end
            if contentEnd > start, base.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 0x0D { contentEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: contentEnd - start)
            if !patternSet.decidedByFilter[index] {
                let caseInsensitive = patternSet.caseInsensitive[index]
                if !patternSet.otherGroups[index].isEmpty {
                    for group in patternSet.otherGroups[index]
                    where !group.contains(where: { $0.occurs(in: line, caseInsensitive: caseInsensitive) }) {
                        return nil
                    }
                }
                if states[index] == nil { states[index] = patternSet.regexes[index].makeMatchState() }
                guard let state = states[index], patternSet.regexes[index].matches(line, state: state) else { return nil }
            } else if contentEnd < end, !Self.literalFits(patternSet.requirements[index], in: line) {
                // A literal found across the line's trailing CR is not in the line's content.
                return nil
            }
            return contentEnd
        }

        /// Whether one of the requirement's literals occurs within `line` (which excludes a trailing CR).
        private static func literalFits(_ requirement: LiteralRequirements, in line: UnsafeRawBufferPointer) -> Bool {
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
