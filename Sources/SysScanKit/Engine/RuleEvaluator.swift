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
    }

    let session: ScanSession

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
            var result = merge(outcomes.filter { $0.evaluated && $0.holds })
            result.evaluated = outcomes.contains(where: \.evaluated)
            result.holds = outcomes.contains { $0.evaluated && $0.holds }
            return result
        case let .not(child):
            let inner = evaluate(child)
            // What is absent has no matches to count or cite.
            return Outcome(evaluated: inner.evaluated, holds: inner.evaluated && !inner.holds, count: 0)
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
            outcome.holds = evaluated && condition.holds(state)
        case .xpath, .property, .directive:
            outcome.holds = evaluated && state.count > 0
        case let .jvmOption(condition):
            let value = state.jvmValue?.value
            outcome.holds = evaluated && condition.holds(value)
            outcome.count = outcome.holds ? 1 : 0
            outcome.values = ["option": condition.key, "value": value ?? ""]
            if let jvm = state.jvmValue, outcome.holds { outcome.evidence = [jvm.evidence] }
        case let .file(condition):
            outcome = fileOutcome(condition)
        }
        return outcome
    }

    private func fileOutcome(_ compiled: FileCondition.Compiled) -> Outcome {
        let condition = compiled.condition
        let matches = compiled.matches(files: session.files, parts: session.filePaths)
        var outcome = Outcome(evaluated: true, holds: condition.present ? !matches.isEmpty : matches.isEmpty)
        if condition.present {
            outcome.count = matches.count
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
