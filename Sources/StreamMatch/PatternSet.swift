/// Many patterns compiled once, to be matched against lines together.
///
/// Immutable and `Sendable`: compile it once, then share it between any number of searches, each of
/// which takes its own `Session`.
public final class PatternSet: Sendable {
    /// The compiled patterns, in the order given.
    public let regexes: [CompiledRegex]

    /// Compiles every pattern of `patterns`.
    ///
    /// - Parameter patterns: The patterns, whose indexes identify them in hits.
    /// - Throws: `PatternError.invalid` for the first pattern PCRE2 rejects.
    public init(_ patterns: [Pattern]) throws(PatternError) {
        var compiled: [CompiledRegex] = []
        compiled.reserveCapacity(patterns.count)
        for (index, pattern) in patterns.enumerated() {
            compiled.append(try CompiledRegex(pattern, index: index))
        }
        self.regexes = compiled
    }

    /// The number of patterns in the set.
    public var count: Int { regexes.count }

    /// Makes the per-search matcher for this set.
    ///
    /// - Returns: A session; not thread-safe, one per search.
    public func makeSession() -> Session { Session(set: self) }

    /// The matcher of one search over a `PatternSet`: it owns the PCRE2 match data.
    public struct Session: BlockMatcher {
        /// The set this session matches.
        public let patternSet: PatternSet
        private let states: [CompiledRegex.MatchState?]

        init(set: PatternSet) {
            self.patternSet = set
            self.states = set.regexes.map { $0.makeMatchState() }
        }

        /// The number of patterns in the set.
        public var patternCount: Int { patternSet.count }

        /// Matches every pattern against every line of `block` (line by line, PCRE2-JIT).
        ///
        /// - Parameters:
        ///   - block: Whole lines.
        ///   - report: Called once per hit; returns false to stop.
        /// - Returns: False when `report` asked to stop.
        public mutating func scan(block: UnsafeRawBufferPointer, report: (LineHit) -> Bool) -> Bool {
            let regexes = patternSet.regexes
            var keepGoing = true
            LineIterator.forEachLine(in: block) { start, end in
                let line = UnsafeRawBufferPointer(rebasing: block[start..<end])
                for index in regexes.indices {
                    guard let state = states[index] else { continue }
                    if regexes[index].matches(line, state: state) {
                        if !report(LineHit(pattern: index, lineStart: start, lineEnd: end)) {
                            keepGoing = false
                            return false
                        }
                    }
                }
                return true
            }
            return keepGoing
        }

        /// Returns the named groups of pattern `index`'s first match in `line`.
        ///
        /// - Parameters:
        ///   - index: The pattern's index in the set.
        ///   - line: The line's bytes, without its line end.
        /// - Returns: Group name to matched text.
        public func namedCaptures(pattern index: Int, in line: UnsafeRawBufferPointer) -> [String: String] {
            guard patternSet.regexes.indices.contains(index), let state = states[index] else { return [:] }
            return patternSet.regexes[index].namedCaptures(in: line, state: state)
        }
    }
}
