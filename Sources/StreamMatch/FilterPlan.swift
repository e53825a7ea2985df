/// Which literals of which patterns the prefilter searches for, and what a hit of each means.
///
/// For every pattern, a plan tracks some of its requirement groups (one, in the plans `PatternSet`
/// makes) in an `AtomFilter`: the pattern becomes a candidate on a line where every tracked group has
/// a hit (one bit each, at most 8), and PCRE2 confirms it there (its JIT code finds the other groups'
/// literals faster than a separate search for them would). Patterns with no usable group (no literal of
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
    ///   - histogram: When measured on a sample of the input, steers which windows of each literal the
    ///     filter indexes.
    ///   - occurrences: How often each literal occurred in that sample.
    ///   - staged: For each pattern, nil, or the group of its own the stage filter tracks: the pattern
    ///     is then staged, and its one tracked group is shared with others.
    init(
        requirements: [LiteralRequirements], tracked: [[Int]], histogram: WindowHistogram? = nil,
        occurrences: [AtomFilter.Atom: Int]? = nil, staged: [Int?]? = nil
    ) {
        self.tracked = tracked
        var atomTable = AtomTable()
        var refs: [[(pattern: Int32, bit: UInt8)]] = []
        var unfiltered: [Int] = []
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
                let key = requirement.groups[primary].map {
                    AtomFilter.Atom(bytes: $0, caseInsensitive: requirement.caseInsensitive)
                }
                let group: Int32
                if let known = sharedIndex[key] {
                    group = known
                } else {
                    group = Int32(sharedIndex.count)
                    sharedIndex[key] = group
                    sharers.append([])
                    for atom in Set(key) { refs[atomID(atom)].append((~group, 0)) }
                }
                let literals = requirement.groups[own].map {
                    AtomFilter.Atom(bytes: $0, caseInsensitive: requirement.caseInsensitive)
                }
                sharers[Int(group)].append((Int32(index), literals))
                decided.append(false)
                masks.append(0)
                continue
            }
            guard !groups.isEmpty else {
                unfiltered.append(index)
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
            decided.append(requirement.isExactLiteral && groups.count == 1)
            masks.append(UInt8(truncatingIfNeeded: (1 << groups.count) - 1))
        }
        let atoms = atomTable.atoms
        filter =
            atoms.isEmpty
            ? nil
            : AtomFilter(
                atoms: atoms, histogram: histogram,
                occurrences: occurrences.map { counts in atoms.map { counts[$0] ?? 0 } })
        self.unfiltered = unfiltered
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
            let pattern =
                atoms[atom].bytes.contains(0x0D)
                ? nil : list.first { $0.pattern >= 0 && decided[Int($0.pattern)] }?.pattern
            decisive[atom] = pattern == nil ? 0 : 1
            decisivePattern[atom] = pattern ?? -1
            anyDecisive = anyDecisive || pattern != nil
        }
        hasDecisiveAtoms = anyDecisive
        stages = sharers.map { StageFilter(patterns: $0, histogram: histogram, occurrences: occurrences) }
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
