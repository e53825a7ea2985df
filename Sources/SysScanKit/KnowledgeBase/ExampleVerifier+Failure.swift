extension ExampleVerifier {
    /// How one example of a rule misbehaves, under which mutations, with the lines concerned; or that a
    /// rule lacks an example.
    public struct Failure: Sendable, CustomStringConvertible {
        /// Whether the example must fire.
        public enum Role: String, Sendable {
            /// The rule must fire and cite the marked lines.
            case triggering
            /// The rule must not fire.
            case nonTriggering = "non-triggering"
        }

        /// A line of an example, as written in the rule file.
        public struct Line: Sendable, Hashable {
            /// The example artifact the line belongs to.
            public var artifact: String
            /// Its number in the artifact's content as written (from 1); nil for a noise line a mutation added.
            public var line: Int?
            /// Its line in the rule file, when the content is a literal block.
            public var fileLine: Int?
            /// Its text, without the marker.
            public var text: String

            /// What makes two lines the same place.
            var place: String { "\(artifact):\(line.map(String.init) ?? "noise")" }
        }

        /// One misbehaviour of an example, with the mutations it happened under.
        public struct Problem: Sendable {
            /// The mutations it happened under; empty when under every mutation the rule does not opt out of.
            public var mutations: [Mutation]
            /// What happened, lower case.
            public var message: String
            /// Whether the rule fired.
            public var fired: Bool
            /// The marked lines (triggering examples).
            public var expected: [Line]
            /// The lines the finding cited.
            public var cited: [Line]

            func sameMisbehaviour(as other: Problem) -> Bool {
                message == other.message && fired == other.fired && expected == other.expected && cited == other.cited
            }
        }

        /// The rule's id.
        public var rule: String
        /// The rule file.
        public var file: String
        /// The example's line in the rule file (1 for a missing example).
        public var line: Int
        /// Whether the example must fire.
        public var role: Role
        /// The example's number among those of its role, from 1 (0 for a missing example).
        public var index: Int
        /// The example's artifacts.
        public var artifacts: [String]
        /// Each distinct misbehaviour.
        public var problems: [Problem]

        /// The mutations under which the example misbehaved (none for a missing example).
        public var mutations: [Mutation] { problems.flatMap(\.mutations) }

        /// `file:line: RULE: triggering example 2 (logs/app.log)`, then each misbehaviour with its
        /// mutations and the marked and cited lines, indented.
        public var description: String {
            var out = "\(file):\(line): \(rule): \(role.rawValue) example"
            if index > 0 { out += " \(index) (\(artifacts.joined(separator: ", ")))" }
            for problem in problems {
                if index == 0 {
                    out += " \(problem.message)"
                    continue
                }
                let under =
                    problem.mutations.isEmpty
                    ? "under every mutation" : "under \(problem.mutations.map(\.rawValue).joined(separator: ", "))"
                out += "\n  \(problem.message) (\(under))"
                var shown: [(String, [Line])] = []
                if role == .triggering { shown.append(("marked", problem.expected)) }
                if problem.fired { shown.append(("cited ", problem.cited)) }
                for (label, lines) in shown {
                    if lines.isEmpty { out += "\n    \(label) no line" }
                    for line in lines { out += "\n    \(label) \(Self.render(line, several: artifacts.count > 1))" }
                }
            }
            return out
        }

        private static func render(_ line: Line, several: Bool) -> String {
            var place: String
            if let fileLine = line.fileLine {
                place = "line \(fileLine)"
            } else if let number = line.line {
                place = "line \(number) of the content"
            } else {
                place = "a noise line"
            }
            if several { place += " of \(line.artifact)" }
            let text = line.text.count > 100 ? line.text.prefix(99) + "…" : Substring(line.text)
            return "\(place): \(text)"
        }
    }
}
