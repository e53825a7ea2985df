/// A condition on a key of a Java `.properties` file, on its effective value.
public struct PropertyCondition: Sendable {
    /// How the key's value is compared.
    public typealias Operator = ComparisonOperator

    /// The key.
    public var key: String
    /// The comparison.
    public var op: Operator
    /// The value compared with.
    public var value: String?
    /// The value the application uses when the key is absent; without it an absent key never fires
    /// (except with `absent`).
    public var defaultValue: String?
}

extension PropertyCondition {
    /// The condition compiled once: its comparison ready (a `matches` regex compiled).
    struct Compiled: Sendable {
        let condition: PropertyCondition
        let test: ValueTest

        /// Compiles `condition`.
        ///
        /// - Throws: `ValueTest.Invalid` when its `matches` regex does not compile.
        init(_ condition: PropertyCondition) throws(ValueTest.Invalid) {
            self.condition = condition
            test = try ValueTest(condition.op, expected: condition.value)
        }

        /// What the condition finds in one parsed `.properties` file: the key's entry when the condition
        /// holds on its effective value (the default when the key is absent), nothing otherwise.
        func evaluate(_ file: PropertiesFile) -> [ConfigHit] {
            let entry = file[condition.key]
            guard test.holds(actual: entry?.value, defaultValue: condition.defaultValue) else { return [] }
            let value = entry?.value ?? condition.defaultValue ?? ""
            let description = ConfigHit.absence(
                of: condition.key, op: condition.op, defaultValue: condition.defaultValue)
            return [
                ConfigHit(
                    line: entry?.line, values: ["key": condition.key, "value": value],
                    description: entry == nil ? description : value)
            ]
        }
    }
}
