/// The name nearest to a mistyped one, for "did you mean" hints.
///
/// Near means few edits: a letter added, removed or changed, or two neighbouring letters swapped, each
/// count one, ignoring case; at most two, and at most half of the mistyped name's length.
public enum NameSuggestion {
    /// The name among `candidates` nearest to `name`, nil when none is near enough or `name` is one of them.
    ///
    /// - Parameters:
    ///   - name: The mistyped name, such as `scna`.
    ///   - candidates: The names it may stand for, such as the subcommands.
    /// - Returns: The nearest candidate (the first one written, of several as near), or nil.
    public static func nearest(to name: String, among candidates: [String]) -> String? {
        guard !candidates.contains(name) else { return nil }
        let limit = min(2, max(1, name.count / 2))
        let scored = candidates.map { (candidate: $0, edits: edits(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.edits < $1.edits }), best.edits <= limit else { return nil }
        return best.candidate
    }

    /// The number of edits from `a` to `b`: insertions, deletions, substitutions and swaps of two
    /// neighbouring characters (the optimal string alignment distance).
    static func edits(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
