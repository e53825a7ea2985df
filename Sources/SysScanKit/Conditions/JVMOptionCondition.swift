/// A condition on a JVM option.
public struct JVMOptionCondition: Sendable {
    /// The option: `-Xmx`, `-Xms`, `-Xss`, `-XX:Name`, `-Dname`, `-agentlib:name`, `-javaagent`.
    public var option: String
    /// The comparison.
    public var op: ComparisonOperator
    /// The value compared with (sizes such as `4g` compare in bytes).
    public var value: String?
}

extension JVMOptionCondition {
    /// The condition compiled once: the option's key and the comparison its form implies (`-XX:+Flag`
    /// present means the flag is on).
    struct Compiled: Sendable {
        let condition: JVMOptionCondition
        /// The option's key as `JVMOptions` reports it.
        let key: String
        let test: ValueTest

        /// Compiles `condition`.
        ///
        /// - Throws: `ValueTest.Invalid` when its `matches` regex does not compile.
        init(_ condition: JVMOptionCondition) throws(ValueTest.Invalid) {
            self.condition = condition
            key = JVMOptions.key(of: condition.option)
            var op = condition.op
            var expected = condition.value
            if op == .present, condition.option.hasPrefix("-XX:+") || condition.option.hasPrefix("-XX:-") {
                op = .eq
                expected = condition.option.hasPrefix("-XX:+") ? "true" : "false"
            }
            test = try ValueTest(op, expected: expected, number: JVMOptions.number)
        }

        /// Whether the condition holds on the option's effective value (nil: not set anywhere).
        func holds(_ value: String?) -> Bool {
            test.holds(actual: value, defaultValue: nil)
        }
    }
}
