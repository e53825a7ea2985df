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
}

extension MatchSink {
    /// Ignores overlong lines.
    public func overlongLine(lineNumber: Int, byteOffset: Int) {}
}
