/// Which literals of which patterns the prefilter searches for, and what a hit of each means.
///
/// For every pattern, a plan tracks some of its requirement groups (one, in the plans `PatternSet`
/// makes) in an `AtomFilter`: the pattern becomes a candidate on a line where every tracked group has
/// a hit (one bit each, at most 8); the groups it does not
/// track are checked with `memchr` before PCRE2 confirms. Patterns with no usable group (no literal of
/// at least four bytes) are `unfiltered`: confirmed on every line. Immutable and `Sendable`.
final class FilterPlan: @unchecked Sendable {
    // Safety: the unsafe tables below are written in `init` only, freed in `deinit`, read-only between.

    let filter: AtomFilter?
    /// The indexes of the patterns confirmed on every line.
    let unfiltered: [Int]
    /// For each pattern, the indexes of the requirement groups the filter tracks.
    let tracked: [[Int]]
    /// For each pattern, the requirement groups the filter does not track.
    let otherGroups: [[[Needle]]]
    /// For each pattern, whether a filter hit is already a match.
    let decidedByFilter: [Bool]
    /// For atom `a`, its references are `refPattern[refStart[a]..<refStart[a+1]]`, with the bit of the
    /// pattern's group that holds the atom in `refBit`.
    private let refStart: UnsafeMutablePointer<Int32>
    private let refPattern: UnsafeMutablePointer<Int32>
    private let refBit: UnsafeMutablePointer<UInt8>
    /// For each pattern, the mask of its tracked groups: all must hit on a line.
    let fullMask: UnsafeMutablePointer<UInt8>

    /// Builds the plan that tracks, for pattern `p`, the groups `tracked[p]` of `requirements[p]`
    /// (empty: the pattern is confirmed on every line); `histogram`, when measured on a sample of the
    /// input, steers which windows of each literal the filter indexes.
    init(requirements: [LiteralRequirements], tracked: [[Int]], histogram: WindowHistogram? = nil) {
        self.tracked = tracked
        var atoms: [AtomFilter.Atom] = []
        var atomIndex: [AtomFilter.Atom: Int] = [:]
        var refs: [[(pattern: Int32, bit: UInt8)]] = []
        var unfiltered: [Int] = []
        var otherGroups: [[[Needle]]] = []
        var decided: [Bool] = []
        var masks: [UInt8] = []
        for (index, requirement) in requirements.enumerated() {
            let groups = tracked[index]
            guard !groups.isEmpty else {
                unfiltered.append(index)
                otherGroups.append(requirement.groups.map { $0.map(Needle.init) })
                decided.append(false)
                masks.append(0)
                continue
            }
            for (bitIndex, groupIndex) in groups.enumerated() {
                for literal in requirement.groups[groupIndex] {
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
            let trackedSet = Set(groups)
            otherGroups.append(
                requirement.groups.indices.filter { !trackedSet.contains($0) }.map { requirement.groups[$0].map(Needle.init) })
            decided.append(requirement.isExactLiteral && groups.count == 1)
            masks.append(UInt8(truncatingIfNeeded: (1 << groups.count) - 1))
        }
        filter = atoms.isEmpty ? nil : AtomFilter(atoms: atoms, histogram: histogram)
        self.unfiltered = unfiltered
        self.otherGroups = otherGroups
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
