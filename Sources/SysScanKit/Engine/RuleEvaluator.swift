import StreamMatch

/// Decides, after an upload was read, which rules hold: it evaluates each rule's condition tree over
/// the state its leaves accumulated.
struct RuleEvaluator {
    /// What a condition (leaf or combination) came to.
    struct Outcome {
        /// Whether the upload held what the condition needs to be judged.
        var evaluated: Bool
        /// Whether it holds.
        var holds: Bool
        var count = 0
        var evidence: [Evidence] = []
        var values: [String: String] = [:]
        var firstSeen: TimestampParser.Stamp?
        var lastSeen: TimestampParser.Stamp?
        /// The facts the verdict assumed because the upload does not show them.
        var unverified: Set<String> = []
    }

    let session: ScanSession
    /// The facts the upload showed, by name.
    let facts: [String: DetectedFact]

    init(session: ScanSession) {
        self.session = session
        facts = Dictionary(session.detectedFacts.map { ($0.name, $0) }) { first, _ in first }
    }

    /// The outcome of rule `index`.
    func outcome(ofRule index: Int) -> Outcome {
        evaluate(session.knowledgeBase.trees[index])
    }

    private func evaluate(_ tree: CompiledKnowledgeBase.Tree) -> Outcome {
        switch tree {
        case let .leaf(index):
            return leafOutcome(index)
        case let .all(children):
            let outcomes = children.map(evaluate)
            var result = merge(outcomes)
            result.evaluated = outcomes.allSatisfy(\.evaluated)
            result.holds = result.evaluated && outcomes.allSatisfy(\.holds)
            return result
        case let .any(children):
            let outcomes = children.map(evaluate)
            let holding = outcomes.filter { $0.evaluated && $0.holds }
            // A branch that holds on what the upload shows makes assumed ones moot.
            let sure = holding.filter(\.unverified.isEmpty)
            var result = merge(sure.isEmpty ? holding : sure)
            result.evaluated = outcomes.contains(where: \.evaluated)
            result.holds = !holding.isEmpty
            return result
        case let .not(child):
            let inner = evaluate(child)
            // What is absent has no matches to count or cite.
            // An assumed fact stays assumed under `not` (its branch is judged as if the fact were known).
            var outcome = Outcome(evaluated: inner.evaluated, holds: inner.evaluated && !inner.holds, count: 0)
            if !inner.unverified.isEmpty {
                outcome.holds = inner.evaluated
                outcome.unverified = inner.unverified
            }
            return outcome
        }
    }

    private func merge(_ outcomes: [Outcome]) -> Outcome {
        var result = Outcome(evaluated: true, holds: true)
        for outcome in outcomes {
            result.count += outcome.count
            for item in outcome.evidence where !result.evidence.contains(item) { result.evidence.append(item) }
            result.values.merge(outcome.values) { first, _ in first }
            if let stamp = outcome.firstSeen, result.firstSeen.map({ stamp.date < $0.date }) ?? true {
                result.firstSeen = stamp
            }
            if let stamp = outcome.lastSeen, result.lastSeen.map({ stamp.date > $0.date }) ?? true {
                result.lastSeen = stamp
            }
            result.unverified.formUnion(outcome.unverified)
        }
        return result
    }

    private func leafOutcome(_ index: Int) -> Outcome {
        let leaf = session.knowledgeBase.leaves[index]
        let state = session.leafStates[index]
        let evaluated = leaf.kinds.contains(where: session.evaluatedKinds.contains)
        var outcome = Outcome(
            evaluated: evaluated, holds: false, count: state.count, evidence: state.evidence, values: state.values,
            firstSeen: state.firstSeen, lastSeen: state.lastSeen)
        switch leaf.compiled {
        case let .log(condition):
            outcome.holds = evaluated && condition.holds(state, newest: session.newestLogTime)
        case .xpath, .property, .directive, .package, .certificate:
            outcome.holds = evaluated && state.count > 0
        case let .jvmOption(condition):
            let value = state.jvmValue?.value
            outcome.holds = evaluated && condition.holds(value)
            outcome.count = outcome.holds ? 1 : 0
            outcome.values = ["option": condition.key, "value": value ?? ""]
            if let jvm = state.jvmValue, outcome.holds { outcome.evidence = [jvm.evidence] }
        case let .file(condition):
            outcome = fileOutcome(condition, found: session.fileMatches[index] ?? FileCondition.Matches())
        case let .fact(condition):
            outcome = factOutcome(condition)
        }
        return outcome
    }

    private func factOutcome(_ condition: FactCondition) -> Outcome {
        let fact = facts[condition.name]
        var outcome = Outcome(evaluated: true, holds: false)
        switch condition.verdict(fact?.value) {
        case .holds: outcome.holds = true
        case .fails: outcome.holds = false
        case .unverified:
            outcome.holds = true
            outcome.unverified = [condition.name]
        }
        if let fact {
            outcome.values = [condition.name: fact.value]
            if outcome.holds { outcome.evidence = [fact.evidence] }
        }
        return outcome
    }

    private func fileOutcome(_ compiled: FileCondition.Compiled, found: FileCondition.Matches) -> Outcome {
        let condition = compiled.condition
        let matches = found.first
        var outcome = Outcome(evaluated: true, holds: condition.present ? found.count > 0 : found.count == 0)
        if condition.present {
            outcome.count = found.count
            outcome.evidence = matches.prefix(session.options.maxEvidence).map { file, version in
                Evidence(
                    artifact: file.display, entry: file.entry, line: nil,
                    text: version.map { "version \($0)" } ?? "file present")
            }
            if let (file, version) = matches.first {
                outcome.values = ["path": file.entry, "version": version ?? "", "artifact": file.display]
            }
        } else {
            outcome.count = outcome.holds ? 1 : 0
            outcome.values = ["glob": condition.glob]
        }
        return outcome
    }
}
