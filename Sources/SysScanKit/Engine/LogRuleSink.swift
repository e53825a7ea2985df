import StreamMatch

/// Turns the matches of one artifact's line search into leaf state: log lines (with thresholds,
/// windows and follow-ups) and JVM options.
final class LogRuleSink: MatchSink {
    private let session: ScanSession
    private let plan: CompiledKnowledgeBase.KindPlan
    private let artifact: ArtifactName
    private var captureStates: [Int: CompiledRegex.MatchState] = [:]
    /// Per pattern: the start of the last matching line not kept as evidence, read for its timestamp.
    private var lastLineHeads: [Int: [UInt8]] = [:]
    private(set) var overlongLines = 0

    init(session: ScanSession, plan: CompiledKnowledgeBase.KindPlan, artifact: ArtifactName) {
        self.session = session
        self.plan = plan
        self.artifact = artifact
        for target in plan.lineTargets {
            switch target {
            case let .log(leaf), let .followUp(leaf): session.leafStates[leaf].startArtifact()
            case .jvmOption: break
            }
        }
    }

    func matched(_ match: LineMatch) -> SinkAction {
        switch plan.lineTargets[match.pattern] {
        case let .log(leaf): logLine(match, leaf: leaf)
        case let .followUp(leaf): followUpLine(match, leaf: leaf)
        case let .jvmOption(leaf): jvmLine(match, leaf: leaf)
        }
        return .continue
    }

    private func evidence(_ match: LineMatch, stamp: TimestampParser.Stamp?) -> Evidence {
        var item = Evidence(
            artifact: artifact.display, entry: artifact.entry, line: match.lineNumber,
            text: session.evidenceText(match.line), timestamp: stamp?.text)
        item.context = match.context(session.options.contextLines).map { offset, bytes in
            Evidence.ContextLine(line: match.lineNumber + offset, text: bytes.withUnsafeBytes { session.evidenceText($0) })
        }
        return item
    }

    private func captures(_ match: LineMatch) -> [String: String] {
        guard let regex = plan.patternSet?.regexes[match.pattern], !regex.groupNames.isEmpty else { return [:] }
        if captureStates[match.pattern] == nil { captureStates[match.pattern] = regex.makeMatchState() }
        guard let state = captureStates[match.pattern] else { return [:] }
        return regex.namedCaptures(in: match.line, state: state)
    }

    private func logLine(_ match: LineMatch, leaf: Int) {
        guard case let .log(condition) = session.knowledgeBase.leaves[leaf].condition else { return }
        var groups: [String: String] = [:]
        if let capture = condition.capture {
            groups = captures(match)
            guard let value = groups[capture].flatMap({ Double($0.replacingOccurrences(of: ",", with: "")) }) else { return }
            if let above = condition.above, !(value > above) { return }
            if let below = condition.below, !(value < below) { return }
        }
        var state = session.leafStates[leaf]
        defer { session.leafStates[leaf] = state }
        let wantsStamp = condition.within != nil || condition.followedBy != nil || state.evidence.count < session.options.maxEvidence
        let stamp = wantsStamp ? session.timestamps.parse(match.line) : nil
        if let within = condition.within {
            guard let stamp else { return }  // a line without a timestamp cannot be placed in a window
            state.recentTimes.append(stamp.date)
            if state.recentTimes.count > condition.minCount { state.recentTimes.removeFirst() }
            if state.recentTimes.count == condition.minCount, let first = state.recentTimes.first,
                stamp.date.timeIntervalSince(first) <= within
            {
                state.windowMet = true
            }
        }
        if condition.followedBy != nil {
            if state.pending.count >= 64 { state.pending.removeFirst() }
            state.pending.append((stamp, evidence(match, stamp: stamp)))
            if state.values.isEmpty { state.values = groups.isEmpty ? captures(match) : groups }
            return
        }
        state.count += 1
        // Identical lines are recognised by a hash of their bytes (no decoding on this path).
        var hasher = Hasher()
        hasher.combine(artifact.entry)
        hasher.combine(bytes: match.line)
        let key = hasher.finalize()
        if let index = state.citedLines[key] {
            // The same line again: counted, cited once, with how often and where last.
            state.evidence[index].repeats += 1
            state.evidence[index].lastLine = match.lineNumber
            if let stamp { state.see(stamp) } else { lastLineHeads[match.pattern] = Array(match.line.prefix(96)) }
        } else if state.evidence.count < session.options.maxEvidence {
            state.see(stamp)
            state.citedLines[key] = state.evidence.count
            state.evidence.append(evidence(match, stamp: stamp))
            if state.count == 1 { state.values.merge(groups.isEmpty ? captures(match) : groups) { first, _ in first } }
        } else {
            lastLineHeads[match.pattern] = Array(match.line.prefix(96))
        }
    }

    private func followUpLine(_ match: LineMatch, leaf: Int) {
        guard case let .log(condition) = session.knowledgeBase.leaves[leaf].condition, let follow = condition.followedBy else {
            return
        }
        var state = session.leafStates[leaf]
        defer { session.leafStates[leaf] = state }
        guard !state.pending.isEmpty else { return }
        let stamp = session.timestamps.parse(match.line)
        let paired: [Int]
        if let within = follow.within {
            guard let stamp else { return }
            paired = state.pending.indices.filter { index in
                guard let first = state.pending[index].stamp else { return false }
                let gap = stamp.date.timeIntervalSince(first.date)
                return gap >= 0 && gap <= within
            }
        } else {
            paired = Array(state.pending.indices)
        }
        guard let firstPaired = paired.first else { return }
        state.count += 1
        let opening = state.pending[firstPaired]
        state.see(opening.stamp)
        state.see(stamp)
        state.cite(opening.evidence, limit: session.options.maxEvidence)
        state.cite(evidence(match, stamp: stamp), limit: session.options.maxEvidence)
        for index in paired.reversed() { state.pending.remove(at: index) }
    }

    private func jvmLine(_ match: LineMatch, leaf: Int) {
        guard case let .jvmOption(condition) = session.knowledgeBase.leaves[leaf].condition else { return }
        let key = JVMOptions.key(of: condition.option)
        let text = String(decoding: match.line, as: UTF8.self)
        guard let value = JVMOptions.options(in: text).last(where: { $0.key == key })?.value else { return }
        let precedence = JVMPrecedence(logged: plan.kind.format == .log, entry: artifact.entry, line: match.lineNumber)
        if let current = session.leafStates[leaf].jvmValue, current.precedence > precedence { return }
        session.leafStates[leaf].jvmValue = (value, evidence(match, stamp: nil), precedence)
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
            guard case let .log(leaf) = plan.lineTargets[pattern] else { continue }
            let stamp = head.withUnsafeBytes { session.timestamps.parse($0) }
            session.leafStates[leaf].see(stamp)
        }
    }
}
