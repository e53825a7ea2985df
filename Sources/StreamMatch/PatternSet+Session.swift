import Dispatch

extension PatternSet {
    /// The matcher of one search over a `PatternSet`: it owns the PCRE2 match data and scratch space
    /// (which copies of a session share: use one copy per search).
    public struct Session: BlockMatcher {
        /// The set this session matches.
        public let patternSet: PatternSet
        /// Whether the first matching pattern of a line ends that line's evaluation.
        public let firstMatchPerLine: Bool
        /// The filter plan in use: the set's default until a survey of the input replaces it.
        var plan: FilterPlan { currentPlan ?? patternSet.defaultPlan }
        /// The plan adopted so far (none before the first block).
        private var currentPlan: FilterPlan?
        private var surveyPending: Bool
        private let surveyMinimum: Int
        private let scratch = HitScratch()
        private var states: [CompiledRegex.MatchState?]
        private var hitStarts: [Int] = []
        private var hitAtoms: [Int32] = []
        private var stamps: [UInt32]
        private var masks: [UInt8]
        private var generation: UInt32 = 0
        private var candidates: [Int32] = []
        /// The capture range of the last confirmation, handed to its hit.
        private var lastCapture: Range<Int>?
        /// Whether the last confirmation could not be decided within the regex budget.
        private var lastOverBudget = false
        /// Per pattern: the lines on which its regex ran out of budget so far (see
        /// `CompiledRegex.Budget.overBudgetLines`).
        private var overBudgetLines: [Int]
        /// For each shared group of the plan, the line (generation) where it last occurred.
        private var groupStamps: [UInt32]
        /// The shared groups that occurred on the current line, and how many of them the stage
        /// filters have run over.
        private var lineGroups: [Int32] = []
        private var stagedGroups = 0
        /// Whether a shared group occurred on the current line that the stage filters are to run over.
        private var lineStaged: Bool { stagedGroups < lineGroups.count }
        private let stageScratch = HitScratch()
        /// With profiling on: per pattern, candidate lines confirmed.
        public private(set) var confirmations: [Int] = []
        /// With profiling on: per pattern, the nanoseconds spent confirming its candidate lines.
        public private(set) var confirmNanoseconds: [UInt64] = []
        /// Whether confirmation costs are measured (`confirmations`, `confirmNanoseconds`).
        public var profiling = false {
            didSet {
                if profiling, confirmations.isEmpty {
                    confirmations = Array(repeating: 0, count: patternSet.count)
                    confirmNanoseconds = Array(repeating: 0, count: patternSet.count)
                }
            }
        }

        init(set: PatternSet, firstMatchPerLine: Bool, adaptive: Bool, surveyMinimum: Int) {
            patternSet = set
            self.surveyMinimum = surveyMinimum
            self.firstMatchPerLine = firstMatchPerLine
            surveyPending = adaptive && set.surveyFilter != nil
            states = Array(repeating: nil, count: set.count)
            overBudgetLines = Array(repeating: 0, count: set.count)
            stamps = Array(repeating: 0, count: set.count)
            masks = Array(repeating: 0, count: set.count)
            groupStamps = []
        }

        /// The number of patterns in the set.
        public var patternCount: Int { patternSet.count }

        /// Whether a survey of the input replaced the default filter plan.
        public var isReplanned: Bool { currentPlan.map { $0 !== patternSet.defaultPlan } ?? false }

        /// Counts, on the first `surveyLength` bytes of `block`, the occurrences of every literal the
        /// filter could track, and switches to the plan they call for.
        private mutating func survey(_ block: UnsafeRawBufferPointer) {
            surveyPending = false
            guard let filter = patternSet.surveyFilter, let base = block.baseAddress else { return }
            let length = min(block.count, PatternSet.surveyLength)
            let sample = UnsafeRawBufferPointer(start: base, count: length)
            var counts = Array(repeating: 0, count: filter.atoms.count)
            filter.scan(sample, using: scratch) { atom, _ in counts[atom] += 1 }
            var occurrences: [AtomFilter.Atom: Int] = [:]
            for (atom, count) in zip(filter.atoms, counts) { occurrences[atom] = count }
            let frequency = patternSet.groupFrequency(counts: counts)
            let stages = patternSet.plannedStages(frequency: frequency, atomCost: max(1, length >> 16))
            adopt(
                FilterPlan(
                    requirements: patternSet.requirements, tracked: stages.tracked, histogram: WindowHistogram(sample),
                    occurrences: occurrences, staged: stages.staged))
        }

        /// Makes `plan` the plan in use, with scratch space to match.
        private mutating func adopt(_ plan: FilterPlan) {
            currentPlan = plan
            groupStamps = Array(repeating: 0, count: plan.stages.count)
        }

        /// Finds the matching (pattern, line) pairs of `block`: one filter pass for the literals, then
        /// confirmation of the candidate patterns on the candidate lines.
        ///
        /// - Parameters:
        ///   - block: Whole lines.
        ///   - report: Called once per hit, lines in ascending order; returns false to stop.
        /// - Returns: False when `report` asked to stop.
        public mutating func scan(block: UnsafeRawBufferPointer, report: (LineHit) -> Bool) -> Bool {
            guard let base = block.baseAddress, block.count > 0 else { return true }
            if surveyPending, block.count >= surveyMinimum { survey(block) }
            let count = block.count
            if currentPlan == nil { adopt(patternSet.defaultPlan) }
            let plan = self.plan
            if plan.unfiltered.isEmpty, firstMatchPerLine {
                guard let filter = plan.filter else { return true }
                return scanFirstMatches(block, filter: filter, plan: plan, report: report)
            }
            if plan.unfiltered.isEmpty {
                // Every matching pattern of the lines where a literal occurs, evaluated as the filter
                // moves past them.
                guard let filter = plan.filter else { return true }
                var cursor = 0  // the start of the first line not yet passed
                var lineStart = 0
                var lineEnd = -1
                var stopped = false
                filter.scan(block, using: scratch) { atom, start in
                    guard !stopped else { return }
                    if start >= lineEnd {
                        if lineEnd >= 0 {
                            if lineStaged { addStagedCandidates(plan, base: base, start: lineStart, end: lineEnd) }
                            guard evaluateLine(plan, base: base, start: lineStart, end: lineEnd, report: report) else {
                                stopped = true
                                return
                            }
                            cursor = lineEnd + 1
                        }
                        lineStart =
                            ByteSearch.lastIndex(of: 0x0A, in: base + cursor, count: start - cursor).map {
                                cursor + $0 + 1
                            } ?? cursor
                        lineEnd =
                            ByteSearch.index(of: 0x0A, in: base + start, count: count - start).map { $0 + start }
                            ?? count
                        beginLine()
                    }
                    addCandidates(plan, ofAtom: atom)
                }
                guard !stopped, lineEnd >= 0 else { return !stopped }
                if lineStaged { addStagedCandidates(plan, base: base, start: lineStart, end: lineEnd) }
                return evaluateLine(plan, base: base, start: lineStart, end: lineEnd, report: report)
            }
            hitStarts.removeAll(keepingCapacity: true)
            hitAtoms.removeAll(keepingCapacity: true)
            plan.filter?.scan(block, using: scratch) { atom, start in
                hitStarts.append(start)
                hitAtoms.append(Int32(atom))
            }
            // Some patterns are confirmed on every line: walk all lines, merging in the literal hits.
            var k = 0
            var lineStart = 0
            while lineStart < count {
                let newline = ByteSearch.index(of: 0x0A, in: base + lineStart, count: count - lineStart).map {
                    $0 + lineStart
                }
                let lineEnd = newline ?? count
                beginLine()
                while k < hitStarts.count, hitStarts[k] < lineEnd {
                    addCandidates(plan, ofAtom: Int(hitAtoms[k]))
                    k += 1
                }
                if lineStaged { addStagedCandidates(plan, base: base, start: lineStart, end: lineEnd) }
                for index in plan.unfiltered { addCandidate(Int32(index)) }
                if !evaluateLine(plan, base: base, start: lineStart, end: lineEnd, report: report) { return false }
                lineStart = lineEnd + 1
            }
            return true
        }

        /// First-match mode with every pattern filtered: the filter reports hits with their lines, and
        /// skips the rest of a line itself after a decisive atom; other candidates are confirmed as they
        /// come, and the first that matches ends its line.
        private mutating func scanFirstMatches(
            _ block: UnsafeRawBufferPointer, filter: AtomFilter, plan: FilterPlan, report: (LineHit) -> Bool
        ) -> Bool {
            guard let base = block.baseAddress else { return true }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            // Without decisive atoms every hit may end its line: fetch one at a time, so that a
            // matched line is skipped before the filter has run past it.
            let capacity = plan.hasDecisiveAtoms ? HitScratch.lineCapacity : 1
            scratch.resetCursor()
            var lineStart = -1
            var lineEnd = -1
            var lineDone = false
            while true {
                let count = filter.nextLineHits(
                    bytes, count: block.count, scratch: scratch, decisive: plan.decisive, capacity: capacity)
                if count == 0 {
                    return !lineStaged || lineDone
                        || confirmStaged(plan, base: base, start: lineStart, end: lineEnd, report: report)
                }
                for index in 0..<count {
                    let hit = scratch.lineHit(index)
                    let start = hit.start
                    let end = hit.end
                    if start != lineStart {
                        // The line before is complete: its staged patterns can be found now.
                        if lineStaged, !lineDone,
                            !confirmStaged(plan, base: base, start: lineStart, end: lineEnd, report: report)
                        {
                            return false
                        }
                        lineStart = start
                        lineEnd = end
                        lineDone = false
                        beginLine()
                    }
                    if lineDone { continue }
                    if hit.decided {
                        lineDone = true
                        var contentEnd = end
                        if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                        let pattern = Int(plan.decisivePattern[hit.atom])
                        if !report(
                            LineHit(pattern: pattern, lineStart: start, lineEnd: contentEnd, capture: lastCapture))
                        {
                            return false
                        }
                        continue
                    }
                    let before = candidates.count
                    addCandidates(plan, ofAtom: hit.atom)
                    for position in before..<candidates.count {
                        let pattern = Int(candidates[position])
                        guard let contentEnd = confirm(plan, pattern, base: base, start: start, end: end) else {
                            if lastOverBudget, !reportOverBudget(pattern, start: start, end: end, report: report) {
                                return false
                            }
                            continue
                        }
                        lineDone = true
                        scratch.skip(to: end + 1)
                        if !report(
                            LineHit(pattern: pattern, lineStart: start, lineEnd: contentEnd, capture: lastCapture))
                        {
                            return false
                        }
                        break
                    }
                }
            }
        }

        /// First-match mode: finds the staged candidates of the (complete) line `[start, end)`, and
        /// reports the first that matches.
        private mutating func confirmStaged(
            _ plan: FilterPlan, base: UnsafeRawPointer, start: Int, end: Int, report: (LineHit) -> Bool
        ) -> Bool {
            let before = candidates.count
            addStagedCandidates(plan, base: base, start: start, end: end)
            for position in before..<candidates.count {
                let pattern = Int(candidates[position])
                guard let contentEnd = confirm(plan, pattern, base: base, start: start, end: end) else {
                    if lastOverBudget, !reportOverBudget(pattern, start: start, end: end, report: report) {
                        return false
                    }
                    continue
                }
                return report(LineHit(pattern: pattern, lineStart: start, lineEnd: contentEnd, capture: lastCapture))
            }
            return true
        }

        /// Runs the stage filter over the line `[start, end)`, where a shared group occurred: a staged
        /// pattern whose own group occurs there too, and whose shared group did, becomes a candidate.
        private mutating func addStagedCandidates(_ plan: FilterPlan, base: UnsafeRawPointer, start: Int, end: Int) {
            let line = UnsafeRawBufferPointer(start: base + start, count: end - start)
            let first = stagedGroups
            stagedGroups = lineGroups.count
            for position in first..<lineGroups.count {
                let stage = plan.stages[Int(lineGroups[position])]
                let filter = stage.filter
                let found = filter.lineAtoms(line, scratch: stageScratch)
                if found > HitScratch.lineAtomCapacity {
                    // More occurrences than the buffer holds: the whole list, the slower way.
                    filter.scan(line, using: stageScratch) { atom, _ in addStaged(stage, atom: atom) }
                    continue
                }
                for index in 0..<found { addStaged(stage, atom: stageScratch.lineAtom(index)) }
            }
        }

        /// Makes the patterns staged on `stage` whose own group holds `atom` candidates.
        @inline(__always)
        private mutating func addStaged(_ stage: StageFilter, atom: Int) {
            for ref in stage.references(ofAtom: atom) {
                let pattern = stage.pattern(at: ref)
                let index = Int(pattern)
                guard stamps[index] != generation else { continue }
                stamps[index] = generation
                candidates.append(pattern)
            }
        }

        private mutating func beginLine() {
            if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
            if !lineGroups.isEmpty {
                lineGroups.removeAll(keepingCapacity: true)
                stagedGroups = 0
            }
            generation &+= 1
            if generation == 0 {
                for index in stamps.indices { stamps[index] = 0 }
                for index in groupStamps.indices { groupStamps[index] = 0 }
                generation = 1
            }
        }

        /// Marks the groups the atom satisfies; a pattern becomes a candidate when all its tracked
        /// groups are satisfied on the line.
        @inline(__always)
        private mutating func addCandidates(_ set: FilterPlan, ofAtom atom: Int) {
            var ref = Int(set.refStartAt(atom))
            let end = Int(set.refStartAt(atom + 1))
            while ref < end {
                let (pattern, bit) = set.reference(ref)
                ref += 1
                if pattern < 0 {
                    // A shared group: noted for the stage filter.
                    let group = Int(~pattern)
                    if groupStamps[group] != generation {
                        groupStamps[group] = generation
                        lineGroups.append(~pattern)
                    }
                    continue
                }
                let index = Int(pattern)
                if stamps[index] != generation {
                    stamps[index] = generation
                    masks[index] = 0
                }
                let before = masks[index]
                let after = before | bit
                if after != before {
                    masks[index] = after
                    if after == set.fullMask[index] { candidates.append(pattern) }
                }
            }
        }

        @inline(__always)
        private mutating func addCandidate(_ pattern: Int32) {
            let index = Int(pattern)
            if stamps[index] != generation {
                stamps[index] = generation
                masks[index] = 0
                candidates.append(pattern)
            }
        }

        /// Confirms the candidates on the line `[start, end)` (its `\n` excluded) and reports the matches.
        private mutating func evaluateLine(
            _ plan: FilterPlan, base: UnsafeRawPointer, start: Int, end: Int, report: (LineHit) -> Bool
        ) -> Bool {
            guard !candidates.isEmpty else { return true }
            if candidates.count > 1 { candidates.sort() }
            for candidate in candidates {
                guard let contentEnd = confirm(plan, Int(candidate), base: base, start: start, end: end) else {
                    if lastOverBudget, !reportOverBudget(Int(candidate), start: start, end: end, report: report) {
                        return false
                    }
                    continue
                }
                if !report(
                    LineHit(pattern: Int(candidate), lineStart: start, lineEnd: contentEnd, capture: lastCapture))
                {
                    return false
                }
                if firstMatchPerLine { break }
            }
            return true
        }

        /// Reports that pattern `index` could not be decided on the line `[start, end)` within the regex
        /// budget, as a hit marked `overBudget`; returns what `report` returned.
        private func reportOverBudget(_ index: Int, start: Int, end: Int, report: (LineHit) -> Bool) -> Bool {
            var hit = LineHit(pattern: index, lineStart: start, lineEnd: end)
            hit.overBudget = true
            return report(hit)
        }

        /// Whether pattern `index` matches the line `[start, end)`: the end of the line's content (a
        /// trailing CR excluded) when it does, nil when it does not or when the regex budget ran out
        /// before it could tell (then `lastOverBudget` is set).
        private mutating func confirm(_ plan: FilterPlan, _ index: Int, base: UnsafeRawPointer, start: Int, end: Int)
            -> Int?
        {
            guard profiling else { return confirmLine(plan, index, base: base, start: start, end: end) }
            let started = DispatchTime.now().uptimeNanoseconds
            let result = confirmLine(plan, index, base: base, start: start, end: end)
            confirmations[index] += 1
            confirmNanoseconds[index] += DispatchTime.now().uptimeNanoseconds - started
            return result
        }

        private mutating func confirmLine(
            _ plan: FilterPlan, _ index: Int, base: UnsafeRawPointer, start: Int, end: Int
        ) -> Int? {
            var contentEnd = end
            if contentEnd > start, base.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 0x0D { contentEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: contentEnd - start)
            lastCapture = nil
            lastOverBudget = false
            if !plan.decidedByFilter[index] {
                // The regex and its state are used without retaining them: the set and `states` keep them alive.
                if states[index] == nil { states[index] = patternSet.regexes[index].makeMatchState() }
                guard let state = states[index].map(Unmanaged.passUnretained) else { return nil }
                let regex = Unmanaged.passUnretained(patternSet.regexes[index])
                let matched = regex._withUnsafeGuaranteedRef { regex in
                    state._withUnsafeGuaranteedRef { state in regex.matches(line, state: state) }
                }
                guard matched else {
                    if state._withUnsafeGuaranteedRef({ $0.outcome == .overBudget }) {
                        lastOverBudget = true
                        overBudgetLines[index] += 1
                        if overBudgetLines[index] == CompiledRegex.Budget.overBudgetLines {
                            state._withUnsafeGuaranteedRef { $0.reduceBudget() }
                        }
                    }
                    return nil
                }
                if let group = patternSet.captureGroups[index] {
                    lastCapture = regex._withUnsafeGuaranteedRef { regex in
                        state._withUnsafeGuaranteedRef { state in
                            regex.lastCaptureRange(group, state: state, count: line.count)
                        }
                    }
                }
            } else if contentEnd < end, !Self.literalFits(patternSet.requirements[index], in: line) {
                // A literal found across the line's trailing CR is not in the line's content.
                return nil
            }
            return contentEnd
        }

        /// Whether one of the requirement's literals occurs within `line` (which excludes a trailing CR).
        private static func literalFits(_ requirement: LiteralRequirements, in line: UnsafeRawBufferPointer) -> Bool {
            requirement.groups.first?.contains {
                ByteSearch.contains($0, in: line, caseInsensitive: requirement.caseInsensitive)
            } ?? true
        }

        /// Returns the named groups of pattern `index`'s first match in `line`.
        ///
        /// - Parameters:
        ///   - index: The pattern's index in the set.
        ///   - line: The line's bytes, without its line end.
        /// - Returns: Group name to matched text.
        public mutating func namedCaptures(pattern index: Int, in line: UnsafeRawBufferPointer) -> [String: String] {
            guard patternSet.regexes.indices.contains(index) else { return [:] }
            if states[index] == nil { states[index] = patternSet.regexes[index].makeMatchState() }
            guard let state = states[index] else { return [:] }
            return patternSet.regexes[index].namedCaptures(in: line, state: state)
        }
    }
}
