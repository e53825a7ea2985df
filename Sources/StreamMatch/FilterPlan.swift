import CAtomScan

/// Which literals of which patterns the prefilter searches for, and what a hit of each means.
///
/// For every pattern, a plan tracks some of its requirement groups (one, in the plans `PatternSet`
/// makes) in an `AtomFilter`: the pattern becomes a candidate on a line where every tracked group has
/// a hit (one bit each, at most 8); the groups it does not
/// track are checked with `memchr` before PCRE2 confirms. Patterns with no usable group (no literal of
/// at least four bytes) are `unfiltered`: confirmed on every line.
///
/// A pattern may instead be *staged*: the filter tracks a group it shares with many other patterns
/// (say the word `error` of `T1.*error`, `T2.*error`, …), whose hit only marks the group as seen on
/// the line; a second filter (the group's `StageFilter`), run over such lines alone, then finds each
/// pattern's own group (T1's literal), and the pattern is a candidate where both occur. One common
/// word found once costs less than the literals of a hundred templates found on every line of each.
/// Immutable and `Sendable`.
final class FilterPlan: @unchecked Sendable {
    // Safety: the unsafe tables below are written in `init` only, freed in `deinit`, read-only between.

    let filter: AtomFilter?
    /// The indexes of the patterns confirmed on every line.
    let unfiltered: [Int]
    /// For each pattern, the indexes of the requirement groups the filter tracks.
    let tracked: [[Int]]
    /// For each pattern, the requirement groups the filter does not track (checked in candidate lines
    /// before PCRE2 runs, the likeliest to be missing first), and their distinct literals.
    let checks: NeedleChecks
    /// For each pattern, whether a filter hit is already a match.
    let decidedByFilter: [Bool]
    /// For atom `a`, its references are `refPattern[refStart[a]..<refStart[a+1]]`, with the bit of the
    /// pattern's group that holds the atom in `refBit`.
    private let refStart: UnsafeMutablePointer<Int32>
    private let refPattern: UnsafeMutablePointer<Int32>
    private let refBit: UnsafeMutablePointer<UInt8>
    /// For each pattern, the mask of its tracked groups: all must hit on a line.
    let fullMask: UnsafeMutablePointer<UInt8>
    /// For each atom, whether a hit of it alone is a match (1) or not (0), and of which pattern.
    let decisive: UnsafeMutablePointer<UInt8>
    let decisivePattern: UnsafeMutablePointer<Int32>
    /// Whether any atom is decisive.
    let hasDecisiveAtoms: Bool
    /// For each shared group, the filter run over the lines where it occurred (a reference to shared
    /// group `g` has pattern `~g` in `reference`).
    let stages: [StageFilter]

    /// Builds the plan that tracks, for pattern `p`, the groups `tracked[p]` of `requirements[p]`
    /// (empty: the pattern is confirmed on every line).
    ///
    /// - Parameters:
    ///   - requirements: What each pattern requires.
    ///   - tracked: The groups of each pattern the filter tracks.
    ///   - frequency: For each pattern and each of its groups, how common the group is judged (lower is
    ///     rarer): the untracked groups are checked rarest first. Nil: by `staticScore`.
    ///   - histogram: When measured on a sample of the input, steers which windows of each literal the
    ///     filter indexes.
    ///   - occurrences: How often each literal occurred in that sample.
    ///   - staged: For each pattern, nil, or the group of its own the stage filter tracks: the pattern
    ///     is then staged, and its one tracked group is shared with others.
    init(
        requirements: [LiteralRequirements], tracked: [[Int]], frequency: [[Int]]? = nil, histogram: WindowHistogram? = nil,
        occurrences: [AtomFilter.Atom: Int]? = nil, staged: [Int?]? = nil
    ) {
        self.tracked = tracked
        var atomTable = AtomTable()
        var refs: [[(pattern: Int32, bit: UInt8)]] = []
        var unfiltered: [Int] = []
        var otherGroups: [[[Int32]]] = []
        var needleTable = AtomTable()
        func needleGroups(_ pattern: Int, _ groups: [Int]) -> [[Int32]] {
            let requirement = requirements[pattern]
            let costs = frequency?[pattern] ?? requirement.groups.map { -Self.staticScore($0) }
            let order = groups.sorted { a, b in costs[a] != costs[b] ? costs[a] < costs[b] : a < b }
            return order.map { group in
                requirement.groups[group].map { literal in
                    Int32(needleTable.id(of: AtomFilter.Atom(bytes: literal, caseInsensitive: requirement.caseInsensitive)))
                }
            }
        }
        func atomID(_ atom: AtomFilter.Atom) -> Int {
            let id = atomTable.id(of: atom)
            if id == refs.count { refs.append([]) }
            return id
        }
        var decided: [Bool] = []
        var masks: [UInt8] = []
        var sharedIndex: [[AtomFilter.Atom]: Int32] = [:]
        var sharers: [[(pattern: Int32, literals: [AtomFilter.Atom])]] = []
        for (index, requirement) in requirements.enumerated() {
            let groups = tracked[index]
            if let own = staged?[index], let primary = groups.first {
                // A shared group is referenced once, by its number; the pattern's own group goes into
                // the stage filter.
                let key = requirement.groups[primary].map { AtomFilter.Atom(bytes: $0, caseInsensitive: requirement.caseInsensitive) }
                let group: Int32
                if let known = sharedIndex[key] {
                    group = known
                } else {
                    group = Int32(sharedIndex.count)
                    sharedIndex[key] = group
                    sharers.append([])
                    for atom in Set(key) { refs[atomID(atom)].append((~group, 0)) }
                }
                let literals = requirement.groups[own].map { AtomFilter.Atom(bytes: $0, caseInsensitive: requirement.caseInsensitive) }
                sharers[Int(group)].append((Int32(index), literals))
                otherGroups.append(needleGroups(index, requirement.groups.indices.filter { $0 != primary && $0 != own }))
                decided.append(false)
                masks.append(0)
                continue
            }
            guard !groups.isEmpty else {
                unfiltered.append(index)
                otherGroups.append(needleGroups(index, Array(requirement.groups.indices)))
                decided.append(false)
                masks.append(0)
                continue
            }
            for (bitIndex, groupIndex) in groups.enumerated() {
                for literal in requirement.groups[groupIndex] {
                    let id = atomID(AtomFilter.Atom(bytes: literal, caseInsensitive: requirement.caseInsensitive))
                    let bit = UInt8(1) << UInt8(bitIndex)
                    if let last = refs[id].last, last.pattern == Int32(index) {
                        refs[id][refs[id].count - 1].bit |= bit
                    } else {
                        refs[id].append((Int32(index), bit))
                    }
                }
            }
            let trackedSet = Set(groups)
            otherGroups.append(needleGroups(index, requirement.groups.indices.filter { !trackedSet.contains($0) }))
            decided.append(requirement.isExactLiteral && groups.count == 1)
            masks.append(UInt8(truncatingIfNeeded: (1 << groups.count) - 1))
        }
        let atoms = atomTable.atoms
        filter =
            atoms.isEmpty
            ? nil : AtomFilter(atoms: atoms, histogram: histogram, occurrences: occurrences.map { counts in atoms.map { counts[$0] ?? 0 } })
        self.unfiltered = unfiltered
        checks = NeedleChecks(needles: needleTable.atoms.map { (Needle($0.bytes), $0.caseInsensitive) }, groups: otherGroups)
        decidedByFilter = decided
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
        // An atom is decisive when finding it is a match of a pattern (a plain literal): the first
        // such pattern is the one reported. Never for atoms holding a CR, which may be the line end's.
        decisive = .allocate(capacity: max(1, atoms.count))
        decisivePattern = .allocate(capacity: max(1, atoms.count))
        var anyDecisive = false
        for (atom, list) in refs.enumerated() {
            let pattern = atoms[atom].bytes.contains(0x0D) ? nil : list.first { $0.pattern >= 0 && decided[Int($0.pattern)] }?.pattern
            decisive[atom] = pattern == nil ? 0 : 1
            decisivePattern[atom] = pattern ?? -1
            anyDecisive = anyDecisive || pattern != nil
        }
        hasDecisiveAtoms = anyDecisive
        stages = sharers.map(StageFilter.init(patterns:))
    }

    deinit {
        decisive.deallocate()
        decisivePattern.deallocate()
        refStart.deallocate()
        refPattern.deallocate()
        refBit.deallocate()
        fullMask.deallocate()
    }

    @inline(__always)
    func refStartAt(_ atom: Int) -> Int32 { refStart[atom] }

    @inline(__always)
    func reference(_ index: Int) -> (Int32, UInt8) { (refPattern[index], refBit[index]) }

    /// Whether a requirement group can go into the filter: every literal has a full window.
    static func isUsable(_ group: [[UInt8]]) -> Bool {
        !group.isEmpty && group.allSatisfy { $0.count >= AtomFilter.q && !$0.contains(0x0A) }
    }

    /// How selective a literal group looks without seeing any input: long literals are rare, many
    /// alternatives are not.
    static func staticScore(_ group: [[UInt8]]) -> Int {
        (min(group.map(\.count).min() ?? 0, 16)) * 64 - group.count
    }
}

/// A plan's untracked groups in flat tables: for pattern `p`, groups `groupStart[p]..<groupStart[p+1]`;
/// for group `g`, needles `list[needleStart[g]..<needleStart[g+1]]`; each needle's bytes, length,
/// anchor (rarest byte) and case mode. Immutable after `init`.
final class NeedleChecks: @unchecked Sendable {
    // Safety: written in `init` only, freed in `deinit`, read-only between.
    let count: Int
    let groupStart: UnsafeMutablePointer<Int32>
    let needleStart: UnsafeMutablePointer<Int32>
    let list: UnsafeMutablePointer<Int32>
    let bytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
    let lengths: UnsafeMutablePointer<Int>
    let anchors: UnsafeMutablePointer<Int>
    let folded: UnsafeMutablePointer<Int32>

    init(needles: [(needle: Needle, caseInsensitive: Bool)], groups: [[[Int32]]]) {
        count = needles.count
        let groupCount = groups.reduce(0) { $0 + $1.count }
        let listCount = groups.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        groupStart = .allocate(capacity: groups.count + 1)
        needleStart = .allocate(capacity: groupCount + 1)
        list = .allocate(capacity: max(1, listCount))
        var group = 0
        var position = 0
        for (pattern, patternGroups) in groups.enumerated() {
            groupStart[pattern] = Int32(group)
            for alternatives in patternGroups {
                needleStart[group] = Int32(position)
                for needle in alternatives {
                    list[position] = needle
                    position += 1
                }
                group += 1
            }
        }
        groupStart[groups.count] = Int32(group)
        needleStart[group] = Int32(position)
        bytes = .allocate(capacity: max(1, count))
        lengths = .allocate(capacity: max(1, count))
        anchors = .allocate(capacity: max(1, count))
        folded = .allocate(capacity: max(1, count))
        for (index, entry) in needles.enumerated() {
            let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, entry.needle.bytes.count))
            storage.initialize(from: entry.needle.bytes, count: entry.needle.bytes.count)
            (bytes + index).initialize(to: storage)
            lengths[index] = entry.needle.bytes.count
            anchors[index] = entry.needle.anchor
            folded[index] = entry.caseInsensitive ? 1 : 0
        }
    }

    deinit {
        for index in 0..<count { bytes[index].deallocate() }
        bytes.deallocate()
        lengths.deallocate()
        anchors.deallocate()
        folded.deallocate()
        groupStart.deallocate()
        needleStart.deallocate()
        list.deallocate()
    }

    /// Whether needle `index` occurs in `line`.
    @inline(__always)
    func occurs(_ index: Int, in line: UnsafeRawBufferPointer) -> Bool {
        guard let base = line.baseAddress else { return lengths[index] == 0 }
        return as_contains(
            base.assumingMemoryBound(to: UInt8.self), line.count, bytes[index], lengths[index], anchors[index],
            folded[index]) != 0
    }
}
