/// Searches a byte stream, fed in chunks of any size, for lines that a `BlockMatcher`'s patterns match.
///
/// The searcher hands the matcher only whole lines: the partial line at the end of a chunk is kept and
/// completed from the next chunk, so a line that crosses a chunk boundary is seen whole. Memory stays
/// bounded: a line longer than `maxLineLength` is matched on its first `maxLineLength` bytes, the rest
/// up to its `\n` is skipped, and the sink is told. Not thread-safe; one per stream.
public struct LineSearcher<Matcher: BlockMatcher> {
    /// The matcher driven by this searcher.
    public private(set) var matcher: Matcher
    /// The longest line matched whole; longer lines are matched on their first part.
    public let maxLineLength: Int
    /// Lines completed so far.
    public private(set) var linesRead = 0
    /// Bytes fed so far.
    public private(set) var bytesRead = 0
    /// Whether a sink asked to stop.
    public private(set) var isStopped = false

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var pendingTruncated = false

    /// Creates a searcher.
    ///
    /// - Parameters:
    ///   - matcher: The matcher to drive.
    ///   - maxLineLength: The longest line matched whole (default 1 MiB).
    public init(matcher: Matcher, maxLineLength: Int = 1 << 20) {
        self.matcher = matcher
        self.maxLineLength = max(1, maxLineLength)
    }

    /// Searches the next chunk of the stream.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes; the searcher copies what it keeps.
    ///   - sink: Receives the matches.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, to sink: some MatchSink) {
        var offset = 0
        while offset < chunk.count, !isStopped {
            let piece = UnsafeRawBufferPointer(rebasing: chunk[offset..<min(chunk.count, offset + maxLineLength)])
            feedPiece(piece, to: sink)
            offset += piece.count
        }
    }

    /// Searches what is left at the end of the stream (a last line without `\n`).
    ///
    /// - Parameter sink: Receives the matches.
    public mutating func finish(to sink: some MatchSink) {
        guard !pending.isEmpty || pendingTruncated else { return }
        flushPending(to: sink)
    }

    private mutating func feedPiece(_ piece: UnsafeRawBufferPointer, to sink: some MatchSink) {
        guard let base = piece.baseAddress else { return }
        let streamOffset = bytesRead
        bytesRead += piece.count
        var rest = 0
        if !pending.isEmpty || pendingTruncated {
            guard let newline = ByteSearch.index(of: 0x0A, in: base, count: piece.count) else {
                appendPending(UnsafeRawBufferPointer(rebasing: piece[...]))
                return
            }
            appendPending(UnsafeRawBufferPointer(rebasing: piece[0...newline]))
            flushPending(to: sink)
            rest = newline + 1
        }
        guard rest < piece.count, !isStopped else { return }
        let tail = UnsafeRawBufferPointer(rebasing: piece[rest...])
        if let last = ByteSearch.lastIndex(of: 0x0A, in: base + rest, count: tail.count) {
            let block = UnsafeRawBufferPointer(rebasing: tail[0...last])
            linesRead = search(block, streamOffset: streamOffset + rest, linesBefore: linesRead, sink: sink)
            rest += last + 1
        }
        if rest < piece.count {
            pendingOffset = streamOffset + rest
            appendPending(UnsafeRawBufferPointer(rebasing: piece[rest...]))
        }
    }

    private mutating func appendPending(_ bytes: UnsafeRawBufferPointer) {
        let room = maxLineLength - pending.count
        if bytes.count <= room {
            pending.append(contentsOf: bytes)
        } else {
            if room > 0 { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<room])) }
            pendingTruncated = true
        }
    }

    private mutating func flushPending(to sink: some MatchSink) {
        let lineNumber = linesRead + 1
        if pendingTruncated { sink.overlongLine(lineNumber: lineNumber, byteOffset: pendingOffset) }
        let truncated = pendingTruncated
        let offset = pendingOffset
        let line = pending
        line.withUnsafeBytes { bytes in
            _ = search(bytes, streamOffset: offset, linesBefore: linesRead, sink: sink, truncated: truncated)
        }
        linesRead = lineNumber
        pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
        pendingTruncated = false
    }

    /// Runs the matcher over `block` and returns the number of lines completed after it.
    private mutating func search(
        _ block: UnsafeRawBufferPointer, streamOffset: Int, linesBefore: Int, sink: some MatchSink,
        truncated: Bool = false
    ) -> Int {
        guard let base = block.baseAddress, !isStopped else { return linesBefore }
        var lines = linesBefore
        var counted = 0
        var stopped = false
        _ = matcher.scan(block: block) { hit in
            lines += ByteSearch.count(of: 0x0A, in: base + counted, count: hit.lineStart - counted)
            counted = hit.lineStart
            let match = LineMatch(
                pattern: hit.pattern, lineNumber: lines + 1, byteOffset: streamOffset + hit.lineStart,
                line: UnsafeRawBufferPointer(rebasing: block[hit.lineStart..<hit.lineEnd]), isTruncated: truncated,
                block: block, offsetInBlock: hit.lineStart)
            if sink.matched(match) == .stop {
                stopped = true
                return false
            }
            return true
        }
        if stopped { isStopped = true }
        return lines + ByteSearch.count(of: 0x0A, in: base + counted, count: block.count - counted)
    }
}
