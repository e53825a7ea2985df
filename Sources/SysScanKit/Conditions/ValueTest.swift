import StreamMatch

/// A comparison of an effective value with a condition's value, compiled once (a `matches` regex is
/// compiled with the knowledge base, not per value), for property, directive and JVM option conditions.
struct ValueTest: Sendable {
    /// A `matches` value that is not a valid regular expression.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    let op: ComparisonOperator
    /// The value compared with, trimmed.
    let expected: String?
    /// How text becomes a number for `lt`…`ge` (sizes for JVM options).
    let number: @Sendable (String) -> Double?
    private let regex: CompiledRegex?

    /// Compiles a comparison.
    ///
    /// - Throws: `Invalid` when `op` is `matches` and `expected` does not compile.
    init(
        _ op: ComparisonOperator, expected: String?,
        number: @escaping @Sendable (String) -> Double? = { Double($0.trimmingWhitespace()) }
    ) throws(Invalid) {
        self.op = op
        self.expected = expected?.trimmingWhitespace()
        self.number = number
        if op == .matches, let pattern = self.expected {
            do {
                regex = try CompiledRegex(Pattern(pattern))
            } catch {
                throw Invalid(description: "'\(pattern)' is not a valid regular expression: \(error)")
            }
        } else {
            regex = nil
        }
    }

    /// Whether the comparison holds for `actual` (nil when absent; then `defaultValue`, if any, is the value).
    func holds(actual: String?, defaultValue: String?) -> Bool {
        switch op {
        case .absent: return actual == nil
        case .present: return actual != nil
        default: break
        }
        guard let value = (actual ?? defaultValue)?.trimmingWhitespace(), let expected else { return false }
        switch op {
        case .eq: return equal(value, expected)
        case .ne: return !equal(value, expected)
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
            guard let regex, let state = regex.makeMatchState() else { return false }
            return Array(value.utf8).withUnsafeBytes { regex.matches($0, state: state) }
        case .present, .absent: return false
        }
    }

    /// Numbers compare as numbers, booleans (and yes/no, on/off) regardless of case, anything else as text.
    private func equal(_ a: String, _ b: String) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        let words: Set = ["true", "false", "yes", "no", "on", "off"]
        if words.contains(b.lowercased()) { return a.lowercased() == b.lowercased() }
        return a == b
    }
}
