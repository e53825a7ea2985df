import StreamMatch

/// Decides whether a property condition holds for a key's effective value.
enum PropertyEvaluator {
    /// Returns whether `condition` holds, given the key's entry (nil when the key is absent, in which
    /// case the condition's default, if any, is the value).
    static func fires(_ condition: PropertyCondition, entry: PropertiesFile.Entry?) -> Bool {
        switch condition.op {
        case .absent: return entry == nil
        case .present: return entry != nil
        default: break
        }
        guard let actual = (entry?.value ?? condition.defaultValue)?.trimmingWhitespace(),
            let expected = condition.value?.trimmingWhitespace()
        else { return false }
        switch condition.op {
        case .eq: return equal(actual, expected)
        case .ne: return !equal(actual, expected)
        case .lt, .le, .gt, .ge:
            guard let a = Double(actual), let b = Double(expected) else { return false }
            switch condition.op {
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            default: return a >= b
            }
        case .contains: return actual.contains(expected)
        case .notContains: return !actual.contains(expected)
        case .matches:
            guard let regex = try? CompiledRegex(Pattern(expected)), let state = regex.makeMatchState() else { return false }
            return Array(actual.utf8).withUnsafeBytes { regex.matches($0, state: state) }
        case .present, .absent: return false
        }
    }

    /// Numbers compare as numbers, booleans regardless of case, anything else as text.
    private static func equal(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x == y }
        let booleans: Set = ["true", "false"]
        if booleans.contains(b.lowercased()) { return a.lowercased() == b.lowercased() }
        return a == b
    }
}
