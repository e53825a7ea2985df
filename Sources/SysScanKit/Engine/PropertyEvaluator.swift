/// Decides whether a property condition holds for a key's effective value.
enum PropertyEvaluator {
    /// Returns whether `condition` holds, given the key's entry (nil when the key is absent, in which
    /// case the condition's default, if any, is the value).
    static func fires(_ condition: PropertyCondition, entry: PropertiesFile.Entry?) -> Bool {
        ValueComparison.holds(
            condition.op, actual: entry?.value, expected: condition.value, defaultValue: condition.defaultValue)
    }
}
