/// The "did you mean" of a name that names nothing: the nearest known name, by edits.
public enum NameSuggestion {
    /// The known name nearest to `name`, if one is near enough to be a typo.
    ///
    /// Near enough is at most two edits, or one edit in five characters for longer names, compared
    /// regardless of case; failing that, the one known name that contains `name` (or that `name`
    /// contains).
    ///
    /// - Parameters:
    ///   - name: The name given.
    ///   - known: The names that exist.
    /// - Returns: The suggestion, or nil.
    public static func nearest(to name: String, among known: [String]) -> String? {
        let lowered = name.lowercased()
        let limit = max(2, name.count / 5)
        let scored = known.map { ($0, distance(lowered, $0.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit { return best.0 }
        let containing = known.filter {
            let other = $0.lowercased()
            return lowered.count >= 3 && (other.contains(lowered) || lowered.contains(other))
        }
        return containing.count == 1 ? containing[0] : nil
    }

    /// `; did you mean 'NAME'?` for the nearest known name, or "".
    ///
    /// - Parameters:
    ///   - name: The name given.
    ///   - known: The names that exist.
    /// - Returns: The clause to append to a message.
    public static func clause(for name: String, among known: [String]) -> String {
        nearest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The Levenshtein distance between `a` and `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
