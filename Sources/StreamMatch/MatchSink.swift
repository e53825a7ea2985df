/// A line that matched a pattern, as the searcher pushes it to a sink.
public struct LineMatch {
    /// The index of the matching pattern in its set.
    public var pattern: Int
    /// The line's number in the stream, from 1.
    public var lineNumber: Int
    /// The offset of the line's first byte in the stream.
    public var byteOffset: Int
    /// The line's content without its line end; valid only while the sink handles the match.
    public var line: UnsafeRawBufferPointer
    /// Whether the line was longer than the searcher's limit and only its first part was matched.
    public var isTruncated: Bool
    /// The block of whole lines the line sits in (for context lines); valid only during the call.
    public var block: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Where the line's content starts in `block`.
    public var offsetInBlock = 0
    /// The range in `line` of its pattern's `capture` group, from the match that confirmed the line;
    /// nil when the pattern names none or the line needed no confirmation.
    public var capture: Range<Int>? = nil

    /// Walks up to `count` lines before this one in its block, nearest first, without copying: `body` gets
    /// each line's offset from this one (-1, -2, …) and its bytes without line end, and returns false to stop.
    ///
    /// - Parameters:
    ///   - count: The most lines to walk.
    ///   - body: Called per line; false stops the walk.
    public func forEachLineBefore(_ count: Int, _ body: (Int, UnsafeRawBufferPointer) -> Bool) {
        guard count > 0, let base = block.baseAddress, offsetInBlock <= block.count else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var end = offsetInBlock - 1  // the newline before this line
        var offset = -1
        while offset >= -count, end >= 0 {
            var start = end
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            var last = end
            if last > start, bytes[last - 1] == 0x0D { last -= 1 }
            guard body(offset, UnsafeRawBufferPointer(start: base + start, count: last - start)) else { return }
            end = start - 1
            offset -= 1
        }
    }

    /// Up to `count` lines before and after this one, from the same block (fewer at a block's edges),
    /// each as (offset from this line: -2, -1, 1, 2…, bytes without line end).
    ///
    /// - Parameter count: How many lines on each side.
    /// - Returns: The context lines, in order.
    public func context(_ count: Int) -> [(offset: Int, bytes: [UInt8])] {
        guard count > 0, let base = block.baseAddress, offsetInBlock <= block.count else { return [] }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        func content(_ start: Int, _ end: Int) -> [UInt8] {
            var last = end
            if last > start, bytes[last - 1] == 0x0D { last -= 1 }
            return Array(UnsafeBufferPointer(start: bytes + start, count: max(0, last - start)))
        }
        var before: [(Int, [UInt8])] = []
        var end = offsetInBlock - 1  // the newline before this line
        while before.count < count, end >= 0 {
            var start = end
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            before.insert((-(before.count + 1), content(start, end)), at: 0)
            end = start - 1
        }
        var after: [(Int, [UInt8])] = []
        var start = offsetInBlock
        while start < block.count, bytes[start] != 0x0A { start += 1 }
        start += 1
        while after.count < count, start < block.count {
            var stop = start
            while stop < block.count, bytes[stop] != 0x0A { stop += 1 }
            after.append((after.count + 1, content(start, stop)))
            start = stop + 1
        }
        return before + after
    }
}

/// What a sink wants the searcher to do next.
public enum SinkAction: Sendable {
    /// Go on searching.
    case `continue`
    /// Stop the search: nothing more is pushed.
    case stop
}

/// Receives what a `LineSearcher` finds, as it finds it.
public protocol MatchSink: AnyObject {
    /// Handles one matching (pattern, line) pair; lines arrive in stream order.
    ///
    /// - Parameter match: The match; its `line` is valid only during this call.
    /// - Returns: Whether to go on.
    func matched(_ match: LineMatch) -> SinkAction

    /// Learns that a line was longer than the searcher's limit and was matched on its first part only.
    ///
    /// - Parameters:
    ///   - lineNumber: The line's number, from 1.
    ///   - byteOffset: The offset of the line's first byte in the stream.
    func overlongLine(lineNumber: Int, byteOffset: Int)

    /// Learns that a pattern's regex could not tell within its budget whether it matches a line (a
    /// catastrophically backtracking pattern): the line is neither a match nor known not to be one.
    ///
    /// - Parameters:
    ///   - pattern: The index of the pattern in its set.
    ///   - lineNumber: The line's number, from 1.
    ///   - byteOffset: The offset of the line's first byte in the stream.
    func patternOverBudget(_ pattern: Int, lineNumber: Int, byteOffset: Int)
}

extension MatchSink {
    /// Ignores overlong lines.
    public func overlongLine(lineNumber: Int, byteOffset: Int) {}

    /// Ignores patterns over their budget.
    public func patternOverBudget(_ pattern: Int, lineNumber: Int, byteOffset: Int) {}
}
