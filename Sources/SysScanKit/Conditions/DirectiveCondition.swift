/// A condition on a directive of an httpd- or sshd-style file, on its effective value.
public struct DirectiveCondition: Sendable {
    /// Where the directive is looked for.
    public enum Scope: String, Sendable, CaseIterable {
        /// Outside blocks only.
        case global
        /// Outside blocks and in every block.
        case any
    }

    /// The directive's name (compared regardless of case).
    public var name: String
    /// The comparison.
    public var op: ComparisonOperator
    /// The value compared with (the directive's whole argument text).
    public var value: String?
    /// The compiled-in default used when the directive is absent.
    public var defaultValue: String?
    /// Where the directive is looked for.
    public var scope: Scope
}

extension DirectiveCondition {
    /// The condition compiled once: its comparison ready (a `matches` regex compiled).
    struct Compiled: Sendable {
        let condition: DirectiveCondition
        let test: ValueTest

        /// Compiles `condition`.
        ///
        /// - Throws: `ValueTest.Invalid` when its `matches` regex does not compile.
        init(_ condition: DirectiveCondition) throws(ValueTest.Invalid) {
            self.condition = condition
            test = try ValueTest(condition.op, expected: condition.value)
        }

        /// What the condition finds in one parsed httpd- or sshd-style file: each effective setting of the
        /// directive (outside blocks, and with scope `any` in every block) on which it holds; an absent
        /// directive is judged by its compiled-in default.
        func evaluate(_ file: DirectiveFile) -> [ConfigHit] {
            let (global, blocks) = file.effective(condition.name)
            var candidates: [DirectiveFile.Entry?] = [global]
            if condition.scope == .any { candidates += blocks.map { Optional($0) } }
            var hits: [ConfigHit] = []
            for entry in candidates {
                guard test.holds(actual: entry?.value, defaultValue: entry == nil ? condition.defaultValue : nil)
                else { continue }
                let value = entry?.value ?? condition.defaultValue ?? ""
                let description = ConfigHit.absence(
                    of: condition.name, op: condition.op, defaultValue: condition.defaultValue)
                hits.append(
                    ConfigHit(
                        line: entry?.line,
                        values: ["name": condition.name, "value": value, "block": entry?.block ?? ""],
                        description: entry == nil ? description : value, source: entry?.source))
            }
            return hits
        }
    }
}
