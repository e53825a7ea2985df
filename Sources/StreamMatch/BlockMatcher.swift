/// A line of a block that matched one pattern, as a matcher reports it.
public struct LineHit {
    /// The index of the matching pattern in its set.
    public var pattern: Int
    /// The offset in the block of the line's first byte.
    public var lineStart: Int
    /// The offset in the block just past the line's last byte (its `\n` and any `\r` before it excluded).
    public var lineEnd: Int
    /// The range, relative to `lineStart`, of the pattern's `capture` group in the match that confirmed
    /// the line; nil when the pattern names none, or the line needed no confirmation.
    public var capture: Range<Int>?
    /// Whether the pattern's regex ran out of its budget on the line (see `CompiledRegex.Budget`): it is
    /// not known to match, and the searcher tells the sink so instead of reporting a match.
    public var overBudget = false

    /// Creates a hit.
    ///
    /// - Parameters:
    ///   - pattern: The index of the matching pattern.
    ///   - lineStart: The offset of the line's first byte.
    ///   - lineEnd: The offset past the line's content, line end excluded.
    ///   - capture: The capture group's range in the line, when known.
    public init(pattern: Int, lineStart: Int, lineEnd: Int, capture: Range<Int>? = nil) {
        self.pattern = pattern
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.capture = capture
    }
}

/// Finds, in a block of whole lines, every (pattern, line) pair where the pattern matches the line.
///
/// The one requirement of a matcher: given a block made of complete lines (each ends with `\n`, except
/// possibly the last line of the input), report each matching pair once, lines in ascending order. How
/// it finds them (line by line, a prefilter over the whole block, …) is its own business. A matcher is
/// used by one search at a time.
public protocol BlockMatcher {
    /// The number of patterns the matcher knows.
    var patternCount: Int { get }

    /// Reports every matching (pattern, line) pair of `block` to `report`, lines in ascending order.
    ///
    /// - Parameters:
    ///   - block: Whole lines; the last may lack its `\n` at the end of input.
    ///   - report: Called once per hit; returns false to stop the scan of this block early.
    /// - Returns: False when `report` asked to stop.
    mutating func scan(block: UnsafeRawBufferPointer, report: (LineHit) -> Bool) -> Bool
}
