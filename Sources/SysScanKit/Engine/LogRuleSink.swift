import Foundation
import StreamMatch

/// Turns the matches of one artifact's line search into leaf state: log lines (with thresholds,
/// windows and follow-ups) and JVM options.
final class LogRuleSink: MatchSink {
    /// What the hot path needs of a pattern's `log` leaf, resolved once per artifact: plain values, so that
    /// a matched line costs no reference counting and no string.
    private struct LogTarget {
        var leaf: Int
        /// The capture compared with the thresholds: its group number, or -1 when the rule names a group the
        /// pattern lacks (such a line never counts); nil when the rule has no capture.
        var captureGroup: Int?
        var above: Double?
        var below: Double?
        var within: TimeInterval?
        var minCount: Int
        var hasFollowUp: Bool
        /// Whether the artifact's lines may still be cited: false when earlier artifacts already gave the
        /// leaf all the evidence the scan keeps (their citations would be dropped when merged).
        var citing: Bool
    }

    private let scan: ArtifactScan
    private let matches: ArtifactMatches
    private let plan: CompiledKnowledgeBase.KindPlan
    private let artifact: ArtifactName
    /// Per pattern: the state of its leaf for this artifact, once the pattern matched.
    private var states: [LeafState?]
    private var captureStates: [Int: CompiledRegex.MatchState] = [:]
    private var logTargets: [LogTarget?]
    /// Per pattern: the start of the last matching line not kept as evidence, read for its timestamp
    /// (buffers reused line after line).
    private var lastLineHeads: [[UInt8]]
    private var hasLastLineHead: [Bool]
    private var lastLineNumbers: [Int]
    /// The last record time looked up: the line it was looked up for, and the time (nil: none found).
    private var recordCache: (line: Int, stamp: TimestampParser.Stamp?, own: Bool)?
    /// How many lines above a line without a time are searched for its record's first line.
    static let recordLookback = 20
    /// The artifact's part of the key by which identical lines are recognised.
    private let entryHash: Int
    /// Read once from the session, not per line.
    private let maxEvidence: Int
    private let timestamps: TimestampParser
    private let regexes: [CompiledRegex]
    private(set) var overlongLines = 0
    /// Per pattern whose regex ran out of budget: the first such line, and how many there were.
    private var overBudget: [Int: (firstLine: Int, lines: Int)] = [:]

    init(scan: ArtifactScan) {
        self.scan = scan
        matches = scan.matches
        let plan = scan.plan
        self.plan = plan
        artifact = scan.name
        var targets: [LogTarget?] = []
        for (pattern, target) in plan.lineTargets.enumerated() {
            guard case let .log(leaf) = target, case let .log(condition) = scan.knowledgeBase.leaves[leaf].condition
            else {
                targets.append(nil)
                continue
            }
            let group = condition.capture.map { name in
                plan.patternSet?.regexes[pattern].groupNumber(named: name) ?? -1
            }
            targets.append(
                LogTarget(
                    leaf: leaf, captureGroup: group, above: condition.above, below: condition.below,
                    within: condition.within,
                    minCount: condition.minCount, hasFollowUp: condition.followedBy != nil,
                    citing: !scan.evidenceFull[leaf]))
        }
        logTargets = targets
        states = Array(repeating: nil, count: plan.lineTargets.count)
        lastLineHeads = Array(repeating: [], count: plan.lineTargets.count)
        hasLastLineHead = Array(repeating: false, count: plan.lineTargets.count)
        lastLineNumbers = Array(repeating: 0, count: plan.lineTargets.count)
        var hasher = Hasher()
        hasher.combine(artifact.entry)
        entryHash = hasher.finalize()
        maxEvidence = scan.options.maxEvidence
        timestamps = scan.timestamps
        regexes = plan.patternSet?.regexes ?? []
    }

    /// The artifact's state of the leaf of `pattern`.
    private func state(_ pattern: Int, leaf: Int) -> LeafState {
        if let state = states[pattern] { return state }
        let state = matches.state(leaf)
        states[pattern] = state
        return state
    }

    func matched(_ match: LineMatch) -> SinkAction {
        switch plan.lineTargets[match.pattern] {
        case let .log(leaf): logLine(match, leaf: leaf)
        case let .followUp(leaf): followUpLine(match, leaf: leaf)
        case let .jvmOption(leaf): jvmLine(match, leaf: leaf)
        case let .fact(index): factLine(match, fact: index)
        }
        return .continue
    }

    private func evidence(_ match: LineMatch, stamp: TimestampParser.Stamp?) -> Evidence {
        var item = Evidence(
            artifact: artifact.display, entry: artifact.entry, line: match.lineNumber,
            text: scan.evidenceText(match.line), timestamp: stamp?.text)
        item.context = match.context(scan.options.contextLines).map { offset, bytes in
            Evidence.ContextLine(
                line: match.lineNumber + offset, text: bytes.withUnsafeBytes { scan.evidenceText($0) })
        }
        return item
    }

    private func captures(_ match: LineMatch) -> [String: String] {
        guard let regex = plan.patternSet?.regexes[match.pattern], !regex.groupNames.isEmpty else { return [:] }
        if captureStates[match.pattern] == nil { captureStates[match.pattern] = regex.makeMatchState() }
        guard let state = captureStates[match.pattern] else { return [:] }
        return regex.namedCaptures(in: match.line, state: state)
    }

    private func captureState(_ pattern: Int, _ regex: CompiledRegex) -> CompiledRegex.MatchState? {
        if let state = captureStates[pattern] { return state }
        let state = regex.makeMatchState()
        captureStates[pattern] = state
        return state
    }

    private func captureRange(_ match: LineMatch, group: Int) -> Range<Int>? {
        guard match.pattern < regexes.count, let state = captureState(match.pattern, regexes[match.pattern]) else {
            return nil
        }
        return regexes[match.pattern].captureRange(group, in: match.line, state: state)
    }

    private func logLine(_ match: LineMatch, leaf: Int) {
        guard let target = logTargets[match.pattern] else { return }
        if let group = target.captureGroup {
            // The confirmation's own capture when the searcher hands it over; else the pattern runs again.
            guard group >= 0, let range = match.capture ?? captureRange(match, group: group),
                let value = Self.number(UnsafeRawBufferPointer(rebasing: match.line[range]))
            else { return }
            if let above = target.above, !(value > above) { return }
            if let below = target.below, !(value < below) { return }
        }
        let state = state(match.pattern, leaf: target.leaf)
        let wantsEvidence = target.citing && state.evidence.count < maxEvidence
        let wantsStamp = target.within != nil || target.hasFollowUp || wantsEvidence || state.count == 0
        let stamp = wantsStamp ? recordStamp(match) : nil
        if let within = target.within {
            guard let stamp else { return }  // a line without a timestamp cannot be placed in a window
            state.recentTimes.append(stamp.date)
            if state.recentTimes.count > target.minCount { state.recentTimes.removeFirst() }
            if state.recentTimes.count == target.minCount, let first = state.recentTimes.first,
                stamp.date.timeIntervalSince(first) <= within
            {
                state.windowMet = true
            }
        }
        if target.hasFollowUp {
            if state.pending.count >= 64 { state.pending.removeFirst() }
            state.pending.append((stamp, evidence(match, stamp: stamp)))
            if state.values.isEmpty { state.values = captures(match) }
            return
        }
        state.count += 1
        // An artifact's first and last counted lines date it; its first gives the message's values. Neither
        // depends on which lines are cited, so neither depends on what other artifacts cited.
        if state.count == 1 {
            state.see(stamp)
            state.values.merge(captures(match)) { first, _ in first }
        } else {
            keepHead(match)
        }
        guard target.citing else { return }
        // Identical lines are recognised by a hash of their bytes (no decoding on this path), computed only
        // when the line could be a cited one: while evidence is wanted, or when its length and first bytes
        // are those of a cited line.
        let full = !wantsEvidence
        let signature = LeafState.Signature(match.line)
        guard !full || state.citedSignatures.contains(signature) else { return }
        var hasher = Hasher()
        hasher.combine(entryHash)
        hasher.combine(bytes: match.line)
        let key = hasher.finalize()
        if let index = state.citedLines[key] {
            // The same line again: counted, cited once, with how often and where last.
            state.evidence[index].repeats += 1
            state.evidence[index].lastLine = match.lineNumber
        } else if !full {
            state.citedLines[key] = state.evidence.count
            if !state.citedSignatures.contains(signature) { state.citedSignatures.append(signature) }
            state.evidence.append(evidence(match, stamp: stamp))
        }
    }

    /// Keeps the start of a counted line, for the timestamp of the artifact's last one.
    private func keepHead(_ match: LineMatch) {
        lastLineNumbers[match.pattern] = match.lineNumber
        lastLineHeads[match.pattern].removeAll(keepingCapacity: true)
        lastLineHeads[match.pattern].append(contentsOf: match.line.prefix(96))
        hasLastLineHead[match.pattern] = true
    }

    /// The number in a captured value (`1234`, `1,234.5`, `-0.25`), read from its bytes; other forms
    /// (exponents, long mantissas) are read as text.
    static func number(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var negative = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x30...0x39:
                guard digits < 18 else { return slowNumber(bytes) }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "."):
                guard !seenPoint else { return nil }
                seenPoint = true
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "+") where index == 0: continue
            default: return slowNumber(bytes)
            }
        }
        guard digits > 0 else { return nil }
        // Both operands are exact doubles, so the quotient is the correctly rounded value, as strtod gives.
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...18).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    private static func slowNumber(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: ",", with: ""))
    }

    private func followUpLine(_ match: LineMatch, leaf: Int) {
        guard case let .log(condition) = scan.knowledgeBase.leaves[leaf].condition, let follow = condition.followedBy
        else {
            return
        }
        let state = matches.state(leaf)
        guard !state.pending.isEmpty else { return }
        let stamp = recordStamp(match)
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
        state.cite(opening.evidence, limit: maxEvidence)
        state.cite(evidence(match, stamp: stamp), limit: maxEvidence)
        for index in paired.reversed() { state.pending.remove(at: index) }
    }

    /// The time of the log record a matched line belongs to: its own, or, for a line without one, that of
    /// the record it continues.
    ///
    /// A continuation line (indented, `Caused by:`, `... N more`: a stack trace)
    /// takes the time of the nearest line above it that has one, at most `recordLookback` lines up; any
    /// other line without a time takes that of the line just above it when that line has one (the message
    /// line of java.util.logging's two-line format). Lookups end where the previous one started, so a run
    /// of untimed lines costs one lookup.
    private func recordStamp(_ match: LineMatch) -> TimestampParser.Stamp? {
        if let own = timestamps.parse(match.line) {
            recordCache = (match.lineNumber, own, true)
            return own
        }
        let continuation = Self.isContinuation(match.line)
        var found: TimestampParser.Stamp?
        match.forEachLineBefore(continuation ? Self.recordLookback : 1) { offset, bytes in
            let number = match.lineNumber + offset
            // A continuation shares the record of the line above; a line of its own only takes a time
            // that line has itself (a run of untimed records does not inherit the first one's time).
            if let cache = recordCache, cache.line == number, continuation || cache.own {
                found = cache.stamp
                return false
            }
            if let stamp = timestamps.parse(bytes) {
                found = stamp
                return false
            }
            return true
        }
        recordCache = (match.lineNumber, found, false)
        return found
    }

    /// Whether a line continues the record above it: indented (stack frames), or a stack trace's
    /// `Caused by:` or `... N more`.
    static func isContinuation(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let first = line.first else { return false }
        if first == 0x20 || first == 0x09 { return true }
        return line.starts(with: "Caused by:".utf8) || line.starts(with: "... ".utf8)
    }

    /// A line that shows a fact: its `value` group is the fact's value; a later line replaces an earlier one
    /// (a restart after an upgrade logs the new version later).
    private func factLine(_ match: LineMatch, fact: Int) {
        guard let range = match.capture ?? captureRange(match, group: factGroup(match.pattern)) else { return }
        let value = scan.evidenceText(UnsafeRawBufferPointer(rebasing: match.line[range]))
        guard !value.isEmpty else { return }
        let stamp = recordStamp(match)
        var proof = evidence(match, stamp: stamp)
        proof.context = []  // the line itself proves a fact
        matches.facts[fact] = FactSighting(value: value, evidence: proof, stamp: stamp?.epoch)
    }

    /// The group number of `value` in a fact's pattern.
    private func factGroup(_ pattern: Int) -> Int {
        regexes[pattern].groupNumber(named: "value") ?? -1
    }

    private func jvmLine(_ match: LineMatch, leaf: Int) {
        guard case let .jvmOption(condition) = scan.knowledgeBase.leaves[leaf].condition else { return }
        let key = JVMOptions.key(of: condition.option)
        let text = String(decoding: match.line, as: UTF8.self)
        guard let value = JVMOptions.options(in: text).last(where: { $0.key == key })?.value else { return }
        let precedence = JVMPrecedence(logged: plan.kind.format == .log, entry: artifact.entry, line: match.lineNumber)
        let state = matches.state(leaf)
        if let current = state.jvmValue, current.precedence > precedence { return }
        state.jvmValue = (value, evidence(match, stamp: recordStamp(match)), precedence)
    }

    func overlongLine(lineNumber: Int, byteOffset: Int) {
        overlongLines += 1
        if overlongLines == 1 {
            scan.warn(
                ScanWarning(
                    .overlongLine, artifact: artifact.display,
                    "\(artifact.display): line \(lineNumber) is longer than \(scan.options.maxLineLength) bytes; only its first part was searched"
                ))
        }
    }

    func patternOverBudget(_ pattern: Int, lineNumber: Int, byteOffset: Int) {
        if let known = overBudget[pattern] {
            overBudget[pattern] = (known.firstLine, known.lines + 1)
        } else {
            overBudget[pattern] = (lineNumber, 1)
        }
    }

    /// Warns once per pattern that ran out of budget, naming its rule (or fact), the first line and how
    /// many lines were left undecided.
    private func warnOverBudget() {
        for (pattern, seen) in overBudget.sorted(by: { $0.key < $1.key }) {
            let owner: String
            switch plan.lineTargets[pattern] {
            case let .log(leaf), let .followUp(leaf), let .jvmOption(leaf):
                owner = "rule \(scan.knowledgeBase.rules[scan.knowledgeBase.leaves[leaf].rule].id)"
            case let .fact(index):
                owner = "fact \(scan.knowledgeBase.facts[index].name)"
            }
            let more = seen.lines > 1 ? " and \(seen.lines - 1) more lines" : ""
            scan.warn(
                ScanWarning(
                    .patternBudget, artifact: artifact.display,
                    "\(artifact.display): \(owner): its pattern could not be decided within its match budget on line \(seen.firstLine)\(more); those lines were not counted for it"
                ))
        }
    }

    /// Reads the timestamps of the last matches that were not kept as evidence, and warns about
    /// patterns that ran out of budget.
    func finish() {
        warnOverBudget()
        for (pattern, head) in lastLineHeads.enumerated() where hasLastLineHead[pattern] {
            guard case let .log(leaf) = plan.lineTargets[pattern] else { continue }
            // A line without a time of its own takes its record's, as far as the lookups before it found.
            let own = head.withUnsafeBytes { timestamps.parse($0) }
            let record = recordCache.flatMap { $0.line <= lastLineNumbers[pattern] ? $0.stamp : nil }
            state(pattern, leaf: leaf).see(own ?? record)
        }
    }
}
