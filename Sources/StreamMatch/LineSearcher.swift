/// Searches a byte stream, fed in chunks of any size, for lines that a `BlockMatcher`'s patterns match.
///
/// The searcher hands the matcher only whole lines: the partial line at the end of a chunk is kept and
/// completed from the next chunk, so a line that crosses a chunk boundary is seen whole. Memory stays
/// bounded: a line longer than `maxLineLength` is matched on its first `maxLineLength` bytes, the rest
/// up to its `\n` is skipped, and the sink is told. Not thread-safe; one per stream.
///
/// With context (B lines before, A after), every match reaches the sink with the B lines before and the
/// A lines after it in its `block` (fewer only at the stream's start and end), wherever chunk boundaries
/// fall: a match in a block's first B lines gets a block that starts with the last lines searched before
/// it, and a match in a block's last A lines is held back, in stream order, until the lines after it have
/// arrived. Matches elsewhere are handed over in place, without a copy.
public struct LineSearcher<Matcher: BlockMatcher> {
    /// The matcher driven by this searcher.
    public private(set) var matcher: Matcher
    /// The longest line matched whole; longer lines are matched on their first part.
    public let maxLineLength: Int
    /// How many lines before each match its `block` must hold.
    public let contextBefore: Int
    /// How many lines after each match its `block` must hold.
    public let contextAfter: Int
    /// How many lines around each match its `block` holds at least.
    public var contextLines: Int { min(contextBefore, contextAfter) }
    /// Lines completed so far.
    public private(set) var linesRead = 0
    /// Bytes fed so far.
    public private(set) var bytesRead = 0
    /// Whether a sink asked to stop.
    public private(set) var isStopped = false

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var pendingTruncated = false
    /// The last `contextBefore` lines searched, each with its line end, oldest first.
    private var recentLines: [[UInt8]] = []
    /// Matches held back until the lines after them arrive, with a copy of the stream around them.
    private var held = HeldMatches()

    /// Matches waiting for the lines after them: `buffer` holds whole lines of the stream (with line
    /// ends), from the context before the first held match to what has arrived since.
    private struct HeldMatches {
        struct Match {
            var pattern: Int
            var lineNumber: Int
            var byteOffset: Int
            var start: Int
            var end: Int
            var truncated: Bool
            var capture: Range<Int>?
        }
        var buffer: [UInt8] = []
        var matches: [Match] = []
        /// Lines still wanted after the last held match.
        var linesWanted = 0
    }

    /// Creates a searcher.
    ///
    /// - Parameters:
    ///   - matcher: The matcher to drive.
    ///   - maxLineLength: The longest line matched whole (default 1 MiB).
    ///   - contextLines: How many lines before and after each match its `block` must hold (default 0).
    public init(matcher: Matcher, maxLineLength: Int = 1 << 20, contextLines: Int = 0) {
        self.init(matcher: matcher, maxLineLength: maxLineLength, linesBefore: contextLines, linesAfter: contextLines)
    }

    /// Creates a searcher whose matches come with more lines before them than after (a log record's
    /// first line, above a matched line, dates it).
    ///
    /// - Parameters:
    ///   - matcher: The matcher to drive.
    ///   - maxLineLength: The longest line matched whole (default 1 MiB).
    ///   - linesBefore: How many lines before each match its `block` must hold.
    ///   - linesAfter: How many lines after each match its `block` must hold.
    public init(matcher: Matcher, maxLineLength: Int = 1 << 20, linesBefore: Int, linesAfter: Int) {
        self.matcher = matcher
        self.maxLineLength = max(1, maxLineLength)
        contextBefore = max(0, linesBefore)
        contextAfter = max(0, linesAfter)
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
        if !pending.isEmpty || pendingTruncated { flushPending(to: sink) }
        reportHeld(to: sink)  // the stream ended: they get the lines there are
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
        guard contextBefore > 0 || contextAfter > 0 else {
            return searchInPlace(
                block, streamOffset: streamOffset, linesBefore: linesBefore, sink: sink, truncated: truncated)
        }
        return searchWithContext(
            block, streamOffset: streamOffset, linesBefore: linesBefore, sink: sink, truncated: truncated)
    }

    /// `search` with context: see the type's documentation.
    private mutating func searchWithContext(
        _ block: UnsafeRawBufferPointer, streamOffset: Int, linesBefore: Int, sink: some MatchSink, truncated: Bool
    ) -> Int {
        guard let base = block.baseAddress, !isStopped else { return linesBefore }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let before = contextBefore
        let after = contextAfter
        // The lines this block gives to matches held from earlier blocks.
        var blockStartInHeld: Int?
        if !held.matches.isEmpty {
            var taken = 0
            var position = 0
            while taken < held.linesWanted, position < block.count {
                position +=
                    (ByteSearch.index(of: 0x0A, in: bytes + position, count: block.count - position)
                        ?? (block.count - position - 1)) + 1
                taken += 1
            }
            held.linesWanted -= taken
            if held.linesWanted == 0 {
                held.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[0..<position]))
                reportHeld(to: sink)
                if isStopped { return linesBefore }
            } else {
                blockStartInHeld = held.buffer.count  // the whole block went in: its matches wait as well
                held.buffer.append(contentsOf: block)
            }
        }
        // The end of the block's first `before` lines, and the start of its last `after` lines.
        var headEnd = 0
        for _ in 0..<before where headEnd < block.count {
            headEnd +=
                (ByteSearch.index(of: 0x0A, in: bytes + headEnd, count: block.count - headEnd)
                    ?? (block.count - headEnd - 1)) + 1
        }
        var tailStart = block.count
        for _ in 0..<after where tailStart > 0 {
            var index = tailStart - 1  // the line end of the line before
            while index > 0, bytes[index - 1] != 0x0A { index -= 1 }
            tailStart = index
        }
        var lines = linesBefore
        var counted = 0
        var stopped = false
        var newlyHeld: [HeldMatches.Match] = []
        var headBuffer: [UInt8] = []
        var headPrefix = 0
        _ = matcher.scan(block: block) { hit in
            lines += ByteSearch.count(of: 0x0A, in: base + counted, count: hit.lineStart - counted)
            counted = hit.lineStart
            if hit.overBudget {
                sink.patternOverBudget(hit.pattern, lineNumber: lines + 1, byteOffset: streamOffset + hit.lineStart)
                return true
            }
            let found = HeldMatches.Match(
                pattern: hit.pattern, lineNumber: lines + 1, byteOffset: streamOffset + hit.lineStart,
                start: hit.lineStart,
                end: hit.lineEnd, truncated: truncated, capture: hit.capture)
            if blockStartInHeld != nil || hit.lineStart >= tailStart {
                newlyHeld.append(found)
                return true
            }
            let action: SinkAction
            if hit.lineStart < headEnd {
                // Near the block's start: a block made of the lines before it and this block's start, up
                // to `after` lines past the head (not the whole block), made once for all the head's matches.
                if headBuffer.isEmpty {
                    headBuffer = Array(recentLines.joined())
                    headPrefix = headBuffer.count
                    var stop = headEnd
                    for _ in 0..<after where stop < block.count {
                        stop +=
                            (ByteSearch.index(of: 0x0A, in: bytes + stop, count: block.count - stop)
                                ?? (block.count - stop - 1)) + 1
                    }
                    headBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[0..<min(stop, block.count)]))
                }
                let prefix = headPrefix
                action = headBuffer.withUnsafeBytes { buffer in
                    sink.matched(
                        LineMatch(
                            pattern: found.pattern, lineNumber: found.lineNumber, byteOffset: found.byteOffset,
                            line: UnsafeRawBufferPointer(
                                rebasing: buffer[(prefix + found.start)..<(prefix + found.end)]),
                            isTruncated: truncated, block: buffer, offsetInBlock: prefix + found.start,
                            capture: found.capture))
                }
            } else {
                action = sink.matched(
                    LineMatch(
                        pattern: found.pattern, lineNumber: found.lineNumber, byteOffset: found.byteOffset,
                        line: UnsafeRawBufferPointer(rebasing: block[found.start..<found.end]), isTruncated: truncated,
                        block: block, offsetInBlock: found.start, capture: found.capture))
            }
            if action == .stop {
                stopped = true
                return false
            }
            return true
        }
        if stopped { isStopped = true }
        let total = lines + ByteSearch.count(of: 0x0A, in: base + counted, count: block.count - counted)
        if let last = newlyHeld.last {
            let linesAfter = total - last.lineNumber
            if let start = blockStartInHeld {
                held.matches += newlyHeld.map { match in
                    var match = match
                    match.start += start
                    match.end += start
                    return match
                }
            } else {
                // Copy from `before` lines before the first held match to the block's end.
                let first = newlyHeld[0].start
                var copyStart = first
                var taken = 0
                while taken < before, copyStart > 0 {
                    copyStart -= 1
                    while copyStart > 0, bytes[copyStart - 1] != 0x0A { copyStart -= 1 }
                    taken += 1
                }
                held.buffer = taken < before ? Array(recentLines.suffix(before - taken).joined()) : []
                let shift = held.buffer.count - copyStart
                held.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[copyStart...]))
                held.matches = newlyHeld.map { match in
                    var match = match
                    match.start += shift
                    match.end += shift
                    return match
                }
            }
            held.linesWanted = max(held.linesWanted, after - linesAfter)
        }
        remember(block)
        return total
    }

    /// Keeps the last `contextBefore` lines of what was searched, for the context of the next block's first lines.
    private mutating func remember(_ block: UnsafeRawBufferPointer) {
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self), block.count > 0 else { return }
        var lines: [[UInt8]] = []
        var end = block.count
        while lines.count < contextBefore, end > 0 {
            var start = end - 1
            while start > 0, base[start - 1] != 0x0A { start -= 1 }
            lines.insert(Array(UnsafeRawBufferPointer(rebasing: block[start..<end])), at: 0)
            end = start
        }
        recentLines = Array((recentLines + lines).suffix(contextBefore))
    }

    /// Hands the held matches to the sink, with the lines that arrived after them.
    private mutating func reportHeld(to sink: some MatchSink) {
        guard !held.matches.isEmpty else { return }
        let matches = held.matches
        let buffer = held.buffer
        held = HeldMatches()
        buffer.withUnsafeBytes { block in
            for match in matches where !isStopped {
                let action = sink.matched(
                    LineMatch(
                        pattern: match.pattern, lineNumber: match.lineNumber, byteOffset: match.byteOffset,
                        line: UnsafeRawBufferPointer(rebasing: block[match.start..<match.end]),
                        isTruncated: match.truncated,
                        block: block, offsetInBlock: match.start, capture: match.capture))
                if action == .stop { isStopped = true }
            }
        }
    }

    /// `search` without context: every match is handed over in place.
    private mutating func searchInPlace(
        _ block: UnsafeRawBufferPointer, streamOffset: Int, linesBefore: Int, sink: some MatchSink, truncated: Bool
    ) -> Int {
        guard let base = block.baseAddress, !isStopped else { return linesBefore }
        var lines = linesBefore
        var counted = 0
        var stopped = false
        _ = matcher.scan(block: block) { hit in
            lines += ByteSearch.count(of: 0x0A, in: base + counted, count: hit.lineStart - counted)
            counted = hit.lineStart
            if hit.overBudget {
                sink.patternOverBudget(hit.pattern, lineNumber: lines + 1, byteOffset: streamOffset + hit.lineStart)
                return true
            }
            let match = LineMatch(
                pattern: hit.pattern, lineNumber: lines + 1, byteOffset: streamOffset + hit.lineStart,
                line: UnsafeRawBufferPointer(rebasing: block[hit.lineStart..<hit.lineEnd]), isTruncated: truncated,
                block: block, offsetInBlock: hit.lineStart, capture: hit.capture)
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
