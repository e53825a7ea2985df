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

    /// The known name a name that names nothing (a rule id, an artifact kind, a key) most likely stands for:
    /// the nearest within two edits, or one edit in five characters for longer names, regardless of case;
    /// failing that, the one known name that contains `name` (or that `name` contains).
    ///
    /// - Parameters:
    ///   - name: The name given.
    ///   - known: The names that exist.
    /// - Returns: The suggestion, or nil.
    public static func likely(for name: String, among known: [String]) -> String? {
        let lowered = name.lowercased()
        let limit = max(2, name.count / 5)
        let scored = known.map { ($0, edits(lowered, $0.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit { return best.0 }
        let containing = known.filter {
            let other = $0.lowercased()
            return lowered.count >= 3 && (other.contains(lowered) || lowered.contains(other))
        }
        return containing.count == 1 ? containing[0] : nil
    }

    /// `; did you mean 'NAME'?` for the likely name (`likely(for:among:)`), or "".
    ///
    /// - Parameters:
    ///   - name: The name given.
    ///   - known: The names that exist.
    /// - Returns: The clause to append to a message.
    public static func clause(for name: String, among known: [String]) -> String {
        likely(for: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
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
