/// The second filter of one shared group of a `FilterPlan`: the own literals of the patterns staged
/// on that group, searched only in the lines where the group occurred.
///
/// Immutable and `Sendable`.
final class StageFilter: @unchecked Sendable {
    // Safety: the tables are written in `init` only, freed in `deinit`, read-only between.

    /// Finds the patterns' own literals (the sampled filter alone: lines are too short for Teddy's
    /// vector loop).
    let filter: AtomFilter
    /// For atom `a` of `filter`, the patterns whose own group holds it: `refPattern[refStart[a]..<refStart[a+1]]`.
    private let refStart: UnsafeMutablePointer<Int32>
    private let refPattern: UnsafeMutablePointer<Int32>

    /// Builds the filter for `patterns`: each pattern's index and the literals of its own group (any
    /// one of which makes it a candidate).
    ///
    /// `histogram` and `occurrences`, measured on a sample of the input, steer which windows of each
    /// literal the filter indexes (as for the main filter).
    init(
        patterns: [(pattern: Int32, literals: [AtomFilter.Atom])], histogram: WindowHistogram? = nil,
        occurrences: [AtomFilter.Atom: Int]? = nil
    ) {
        var table = AtomTable()
        var refs: [[Int32]] = []
        for (pattern, literals) in patterns {
            for atom in Set(literals) {
                let id = table.id(of: atom)
                if id == refs.count { refs.append([]) }
                refs[id].append(pattern)
            }
        }
        let atoms = table.atoms
        filter = AtomFilter(
            atoms: atoms, histogram: histogram,
            occurrences: occurrences.map { counts in atoms.map { counts[$0] ?? 0 } },
            allowsTeddy: false)
        refStart = .allocate(capacity: refs.count + 1)
        refPattern = .allocate(capacity: max(1, refs.reduce(0) { $0 + $1.count }))
        var position = 0
        for (atom, list) in refs.enumerated() {
            refStart[atom] = Int32(position)
            for pattern in list {
                refPattern[position] = pattern
                position += 1
            }
        }
        refStart[refs.count] = Int32(position)
    }

    deinit {
        refStart.deallocate()
        refPattern.deallocate()
    }

    /// The positions in `pattern(at:)` of the patterns whose own group holds atom `atom`.
    @inline(__always)
    func references(ofAtom atom: Int) -> Range<Int> { Int(refStart[atom])..<Int(refStart[atom + 1]) }

    @inline(__always)
    func pattern(at position: Int) -> Int32 { refPattern[position] }
}
