import StreamMatch

/// Collects the matches of one artifact's line search into the scan's rule accumulators.
final class LogRuleSink: MatchSink {
    private let session: ScanSession
    private let plan: CompiledKnowledgeBase.KindPlan
    private let artifact: ArtifactName
    private var captureStates: [Int: CompiledRegex.MatchState] = [:]
    /// Per pattern: the start of the last matching line, whose timestamp is read at the end.
    private var lastLineHeads: [Int: [UInt8]] = [:]
    private(set) var overlongLines = 0

    init(session: ScanSession, plan: CompiledKnowledgeBase.KindPlan, artifact: ArtifactName) {
        self.session = session
        self.plan = plan
        self.artifact = artifact
    }

    func matched(_ match: LineMatch) -> SinkAction {
        let ruleIndex = plan.lineRules[match.pattern]
        var accumulator = session.accumulators[ruleIndex]
        accumulator.count += 1
        if accumulator.evidence.count < session.options.maxEvidence {
            let stamp = session.timestamps.parse(match.line)
            accumulator.see(stamp)
            accumulator.evidence.append(
                Evidence(
                    artifact: artifact.display, entry: artifact.entry, line: match.lineNumber,
                    text: session.evidenceText(match.line), timestamp: stamp?.text))
            if accumulator.evidence.count == 1, let regex = plan.patternSet?.regexes[match.pattern], !regex.groupNames.isEmpty {
                if captureStates[match.pattern] == nil { captureStates[match.pattern] = regex.makeMatchState() }
                if let state = captureStates[match.pattern] {
                    accumulator.values.merge(regex.namedCaptures(in: match.line, state: state)) { first, _ in first }
                }
            }
        } else {
            lastLineHeads[match.pattern] = Array(match.line.prefix(96))
        }
        session.accumulators[ruleIndex] = accumulator
        return .continue
    }

    func overlongLine(lineNumber: Int, byteOffset: Int) {
        overlongLines += 1
        if overlongLines == 1 {
            session.warn(
                ScanWarning(
                    .overlongLine, artifact: artifact.display,
                    "\(artifact.display): line \(lineNumber) is longer than \(session.options.maxLineLength) bytes; only its first part was searched"))
        }
    }

    /// Reads the timestamps of the last matches that were not kept as evidence.
    func finish() {
        for (pattern, head) in lastLineHeads {
            let stamp = head.withUnsafeBytes { session.timestamps.parse($0) }
            session.accumulators[plan.lineRules[pattern]].see(stamp)
        }
    }
}
