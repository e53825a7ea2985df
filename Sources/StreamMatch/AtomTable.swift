/// Distinct atoms in the order first seen, each with its index: the numbering a filter and the tables
/// that refer to its atoms share.
struct AtomTable {
    /// The atoms, by index.
    private(set) var atoms: [AtomFilter.Atom] = []
    private var index: [AtomFilter.Atom: Int] = [:]

    /// The index of `atom`, which is appended when it is new.
    mutating func id(of atom: AtomFilter.Atom) -> Int {
        if let known = index[atom] { return known }
        index[atom] = atoms.count
        atoms.append(atom)
        return atoms.count - 1
    }
}
