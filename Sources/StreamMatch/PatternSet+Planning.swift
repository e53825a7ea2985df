/// How a `PatternSet` turns what a survey counted into a filter plan.
extension PatternSet {
    /// The filter plan for what a survey counted: per pattern, its group whose literals occurred
    /// least (ties go to the statically more selective).
    ///
    /// Tracking a second group as well measured slower on every benchmark set: a rare group's
    /// candidates cost less to confirm than a common group's hits cost to record.
    ///
    /// Then groups shared by many patterns are staged: where a group (a common word, say) occurred
    /// less often than the rarest groups of the patterns that share it together, each of those
    /// patterns tracks the shared group instead, and its rarest group moves to the stage filter,
    /// which runs only over the lines where the shared group occurs. Greedy, largest saving first.
    ///
    /// - Parameter frequency: What `groupFrequency` measured.
    /// - Returns: The groups to track per pattern, and for staged patterns the group the stage
    ///   filter tracks.
    func plannedStages(frequency: [[Int]], atomCost: Int) -> (tracked: [[Int]], staged: [Int?]) {
        // `usableGroups` is in static order and `min` keeps the first of equals.
        let rarest = usableGroups.indices.map { pattern in
            usableGroups[pattern].min { frequency[pattern][$0] < frequency[pattern][$1] }
        }
        var tracked = rarest
        var staged = [Int?](repeating: nil, count: count)
        // Every group (by its literals, numbered in first-seen order) that patterns share, with the
        // group each sharer would then stage: its rarest, or its second rarest where the shared group
        // is its rarest.
        var keyOfLiterals: [[Int]: Int] = [:]
        var sharers: [[(pattern: Int, group: Int, own: Int)]] = []
        var occurrences: [Int] = []
        var literalCount: [Int] = []
        for pattern in usableGroups.indices where usableGroups[pattern].count > 1 {
            // The group a sharer stages: its rarest other group, among those long enough for a wide
            // stride in the stage filter where it has one (a line is scanned probe by probe).
            let groups = requirements[pattern].groups
            let long = usableGroups[pattern].filter { group in
                groups[group].allSatisfy { $0.count >= Self.stagedLiteralLength }
            }
            for (position, group) in usableGroups[pattern].enumerated() {
                let others = long.contains { $0 != group } ? long : usableGroups[pattern]
                guard
                    let own = others.filter({ $0 != group }).min(by: { frequency[pattern][$0] < frequency[pattern][$1] }
                    )
                else { continue }
                let atoms = surveyAtoms[pattern][position]
                let literals = atoms.sorted()
                let key = keyOfLiterals[literals] ?? sharers.count
                keyOfLiterals[literals] = key
                if key == sharers.count {
                    sharers.append([])
                    occurrences.append(0)
                    literalCount.append(atoms.count)
                }
                sharers[key].append((pattern, group, own))
                occurrences[key] = frequency[pattern][group]
            }
        }
        // What tracking a pattern's rarest group costs: its hits, and the windows of its literals
        // that occur without them.
        let cost = usableGroups.indices.map { pattern in
            rarest[pattern].map { frequency[pattern][$0] + atomCost * requirements[pattern].groups[$0].count } ?? 0
        }
        var open = [Bool](repeating: true, count: count)
        var live = sharers.indices.filter { sharers[$0].count > 1 }
        while true {
            var chosen: Int?
            var bestSaving = 0
            // Savings only shrink as patterns are staged: a group whose saving is gone is done with.
            var keep: [Int] = []
            for key in live {
                let frequencyOfKey = occurrences[key]
                let saved = sharers[key].reduce(0) { total, sharer in
                    guard open[sharer.pattern] else { return total }
                    // A sharer whose rarest group this is saves the confirmation of each hit.
                    return total + (sharer.group == rarest[sharer.pattern] ? frequencyOfKey : cost[sharer.pattern])
                }
                let saving = saved - frequencyOfKey * Self.stagedLineCost - atomCost * literalCount[key]
                if saving > bestSaving {
                    bestSaving = saving
                    chosen = key
                }
                if saving > 0 { keep.append(key) }
            }
            guard let key = chosen else { break }
            live = keep.filter { $0 != key }
            for sharer in sharers[key] where open[sharer.pattern] {
                open[sharer.pattern] = false
                staged[sharer.pattern] = sharer.own
                tracked[sharer.pattern] = sharer.group
            }
        }
        return (tracked.map { $0.map { [$0] } ?? [] }, staged)
    }

    /// The length from which a staged literal leaves the stage filter a stride of 5 or more.
    static let stagedLiteralLength = 8

    /// What running the stage filter over a line costs, in hits of a tracked literal.
    static let stagedLineCost = 4

    /// How common each requirement group of each pattern was in a survey: its literals' occurrences
    /// (groups the filter cannot track, with literals under four bytes, count as very common).
    func groupFrequency(counts: [Int]) -> [[Int]] {
        requirements.indices.map { pattern in
            var frequency = Array(repeating: Int.max / 2, count: requirements[pattern].groups.count)
            for (position, group) in usableGroups[pattern].enumerated() {
                frequency[group] = surveyAtoms[pattern][position].reduce(0) { $0 + counts[$1] }
            }
            return frequency
        }
    }
}
