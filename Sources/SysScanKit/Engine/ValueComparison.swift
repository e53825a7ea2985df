import StreamMatch

/// Compares an effective value with a condition's value, for property, directive and JVM option
/// conditions.
enum ValueComparison {
    /// Whether `op` holds between `actual` (nil when absent; then `defaultValue`, if any, is the value)
    /// and `expected`.
    ///
    /// - Parameter number: How text becomes a number for `lt`…`ge` (sizes for JVM options).
    static func holds(
        _ op: ComparisonOperator, actual: String?, expected: String?, defaultValue: String?,
        number: (String) -> Double? = { Double($0.trimmingWhitespace()) }
    ) -> Bool {
        switch op {
        case .absent: return actual == nil
        case .present: return actual != nil
        default: break
        }
        guard let value = (actual ?? defaultValue)?.trimmingWhitespace(), let expected = expected?.trimmingWhitespace()
        else { return false }
        switch op {
        case .eq: return equal(value, expected, number: number)
        case .ne: return !equal(value, expected, number: number)
        case .lt, .le, .gt, .ge:
            guard let a = number(value), let b = number(expected) else { return false }
            switch op {
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            default: return a >= b
            }
        case .contains: return value.contains(expected)
        case .notContains: return !value.contains(expected)
        case .matches:
            guard let regex = try? CompiledRegex(Pattern(expected)), let state = regex.makeMatchState() else {
                return false
            }
            return Array(value.utf8).withUnsafeBytes { regex.matches($0, state: state) }
        case .present, .absent: return false
        }
    }

    /// Numbers compare as numbers, booleans (and yes/no, on/off) regardless of case, anything else as text.
    private static func equal(_ a: String, _ b: String, number: (String) -> Double?) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        let words: Set = ["true", "false", "yes", "no", "on", "off"]
        if words.contains(b.lowercased()) { return a.lowercased() == b.lowercased() }
        return a == b
    }
}
