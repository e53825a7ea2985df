import Foundation

/// Reads an archive upload on a thread of its own while the entries are matched on the calling thread:
/// libarchive's decompression (zip's deflate, zstd, xz, bzip2) and matching run on two cores.
///
/// A bounded queue lies between the two, so memory stays bounded; entries, their bytes and the warnings
/// arrive in the order the reader met them, so the report is the one a reading on one thread gives.
///
/// Only the entries the scan reads are copied across (`wantsContent`); the others cross as names alone.
enum PipelinedUpload {
    /// Whether `path` is worth reading on a thread of its own: an archive file whose decompression is
    /// libarchive's; with several matching threads also a gzip file (which has an inflating thread of its
    /// own), so that its entries can be matched in parallel.
    static func isWorthPipelining(_ path: String, threads: Int = 1) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return false }
        switch ContentSniffer.sniff(fileAt: path) {
        case .other: return false
        case .compressed("gzip"): return threads > 1
        case .archive, .compressed: return true
        }
    }

    /// Reads `path` with `reader` on another thread and hands its entries to `visitor` on this one.
    ///
    /// - Parameters:
    ///   - path: The upload.
    ///   - reader: How it is read.
    ///   - visitor: Receives the entries, on the calling thread.
    ///   - routed: Whether the visitor may take an entry's stream to another thread (`EntryStream.detach`):
    ///     this thread then routes the entry's blocks to it while the next entries arrive.
    ///   - wantsContent: Whether the visitor reads an entry's bytes (called on the reading thread).
    /// - Returns: What the upload is.
    /// - Throws: `ScanError` when the upload cannot be used at all.
    static func read(
        _ path: String, reader: UploadReader, visitor: some UploadVisitor, routed: Bool = false,
        wantsContent: @escaping @Sendable (ArtifactName) -> Bool
    ) throws(ScanError) -> ScanReport.Input {
        let channel = EntryChannel()
        let thread = Thread {
            let proxy = ChannelVisitor(channel: channel, wantsContent: wantsContent)
            let result: Result<ScanReport.Input, ScanError>
            do throws(ScanError) {
                result = .success(try reader.read(path, visitor: proxy))
            } catch {
                result = .failure(error)
            }
            channel.send(.done(result))
        }
        thread.stackSize = 8 << 20
        thread.name = "sysscan.read"
        thread.start()
        // The entry whose stream went to another thread: its blocks are routed to it until its end.
        var routedSource: ChannelSource?
        while true {
            switch channel.receive() {
            case let .entry(name):
                let source = ChannelSource(channel: channel, routable: routed)
                visitor.visit(name, stream: EntryStream(source: source))
                if source.isRouted { routedSource = source } else { source.drain() }
            case let .warning(warning):
                visitor.warn(warning)
            case let .skipped(name):
                visitor.skippedWithWarning(name)
            case let .chunk(block, count):
                if let routedSource {
                    routedSource.push(block: block, count: count)
                } else {
                    channel.giveBack(block)  // never outside an entry; given back all the same
                }
            case .end:
                routedSource?.pushEnd()
                routedSource = nil
            case let .done(result):
                return try result.get()
            }
        }
    }
}

/// What crosses from the reading thread to the matching thread, in order.
enum EntryMessage: @unchecked Sendable {
    // Safety: the messages' payloads are values; `ScanWarning` and `ArtifactName` are plain structs.
    case entry(ArtifactName)
    /// Bytes in block `block` of the channel's pool, `count` of them.
    case chunk(block: Int, count: Int)
    case end
    case warning(ScanWarning)
    case skipped(ArtifactName)
    case done(Result<ScanReport.Input, ScanError>)
}

/// A bounded queue of messages between one reading and one matching thread, with a fixed pool of
/// blocks for the bytes: memory is the pool's whatever the upload, and no block is allocated per chunk.
final class EntryChannel: @unchecked Sendable {
    // Safety: `messages`, `head` and `free` are guarded by `condition`; a block's memory is written only
    // by the reading thread while it is out of `free` and not yet sent, and read only by the matching
    // thread between receiving it and giving it back.
    private let condition = NSCondition()
    private var messages: [EntryMessage] = []
    private var head = 0
    private var free: [Int]
    /// The pool.
    let blocks: [UnsafeMutableRawBufferPointer]
    static let blockSize = 256 << 10
    static let blockCount = 32
    /// The most messages waiting: entries the scan does not read cross as names alone and take no block,
    /// so without this bound an upload of many small entries would queue them all.
    static let messageLimit = 4096
    /// Whether the reading thread waits for room in the queue.
    private var senderWaits = false

    init() {
        blocks = (0..<Self.blockCount).map { _ in .allocate(byteCount: Self.blockSize, alignment: 64) }
        free = Array(blocks.indices)
    }

    deinit {
        for block in blocks { block.deallocate() }
    }

    func send(_ message: EntryMessage) {
        condition.lock()
        while messages.count - head >= Self.messageLimit {
            senderWaits = true
            condition.wait()
        }
        messages.append(message)
        condition.broadcast()
        condition.unlock()
    }

    /// A free block of the pool (waits for one).
    func takeBlock() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        return free.removeLast()
    }

    /// Gives a block back to the pool.
    func giveBack(_ block: Int) {
        condition.lock()
        free.append(block)
        condition.broadcast()
        condition.unlock()
    }

    func receive() -> EntryMessage {
        condition.lock()
        defer { condition.unlock() }
        while head == messages.count { condition.wait() }
        let message = messages[head]
        head += 1
        if senderWaits {
            senderWaits = false
            condition.broadcast()
        }
        if head > 1024, head * 2 > messages.count {
            messages.removeFirst(head)
            head = 0
        }
        return message
    }
}

/// The reading thread's visitor: forwards every entry (its bytes when the scan reads it), warning and
/// skip into the channel.
private final class ChannelVisitor: UploadVisitor {
    let channel: EntryChannel
    let wantsContent: (ArtifactName) -> Bool

    init(channel: EntryChannel, wantsContent: @escaping (ArtifactName) -> Bool) {
        self.channel = channel
        self.wantsContent = wantsContent
    }

    func visit(_ name: ArtifactName, stream: EntryStream) {
        channel.send(.entry(name))
        if wantsContent(name) {
            // Reads are gathered into whole blocks of the pool before they are sent.
            var block = channel.takeBlock()
            var filled = 0
            while let chunk = stream.next() {
                guard let source = chunk.baseAddress else { continue }
                var offset = 0
                while offset < chunk.count {
                    let count = min(chunk.count - offset, EntryChannel.blockSize - filled)
                    guard let target = channel.blocks[block].baseAddress else { break }
                    (target + filled).copyMemory(from: source + offset, byteCount: count)
                    filled += count
                    offset += count
                    if filled == EntryChannel.blockSize {
                        channel.send(.chunk(block: block, count: filled))
                        block = channel.takeBlock()
                        filled = 0
                    }
                }
            }
            if filled > 0 {
                channel.send(.chunk(block: block, count: filled))
            } else {
                channel.giveBack(block)
            }
        }
        channel.send(.end)
    }

    func warn(_ warning: ScanWarning) { channel.send(.warning(warning)) }

    func skippedWithWarning(_ name: ArtifactName) { channel.send(.skipped(name)) }
}

/// One entry's bytes as they arrive through the channel: read from the channel itself by the thread
/// that receives the channel's messages, or, once routed, from a queue of its own that that thread fills
/// while another thread reads it.
final class ChannelSource: @unchecked Sendable {
    // Safety: `routedBlocks`, `routedHead` and `routedEnd` are guarded by `routing`; the rest is touched
    // only by the one thread reading the entry.
    private let channel: EntryChannel
    private let routable: Bool
    private var current: Int?
    private var count = 0
    private var offset = 0
    private var ended = false
    private let routing = NSCondition()
    private var routedBlocks: [(block: Int, count: Int)] = []
    private var routedHead = 0
    private var routedEnd = false
    /// Whether the routed entry's reader is gone: blocks pushed after go straight back to the pool.
    private var abandoned = false
    /// Whether the entry's blocks are routed to this source's own queue.
    private(set) var isRouted = false

    init(channel: EntryChannel, routable: Bool = false) {
        self.channel = channel
        self.routable = routable
    }

    deinit {
        release()
        for (block, _) in routedBlocks[routedHead...] { channel.giveBack(block) }
    }

    /// Has the entry's blocks routed to this source's own queue, so another thread can read it; false
    /// when the channel's reader does not route.
    func route() -> Bool {
        guard routable, !ended, current == nil else { return isRouted }
        isRouted = true
        return true
    }

    /// Queues a block of the routed entry (the thread receiving the channel's messages).
    func push(block: Int, count: Int) {
        routing.lock()
        if abandoned {
            routing.unlock()
            channel.giveBack(block)
            return
        }
        routedBlocks.append((block, count))
        routing.signal()
        routing.unlock()
    }

    /// Marks the routed entry's end.
    func pushEnd() {
        routing.lock()
        routedEnd = true
        routing.signal()
        routing.unlock()
    }

    /// The routed entry's next block; nil at its end.
    private func nextRouted() -> (block: Int, count: Int)? {
        routing.lock()
        defer { routing.unlock() }
        while routedHead == routedBlocks.count, !routedEnd { routing.wait() }
        guard routedHead < routedBlocks.count else { return nil }
        let next = routedBlocks[routedHead]
        routedHead += 1
        return next
    }

    /// Moves to the entry's next block, giving the current one back; false at the entry's end.
    private func advance() -> Bool {
        release()
        while !ended {
            if isRouted {
                guard let (block, size) = nextRouted() else {
                    ended = true
                    break
                }
                current = block
                count = size
                offset = 0
                if size > 0 { return true }
                continue
            }
            switch channel.receive() {
            case let .chunk(block, size):
                current = block
                count = size
                offset = 0
                if size > 0 { return true }
            case .end: ended = true
            default: continue
            }
        }
        return false
    }

    private func release() {
        if let current { channel.giveBack(current) }
        current = nil
    }

    /// The rest of the current block, or the next one (valid until the next call); nil at the entry's end.
    func next() -> UnsafeRawBufferPointer? {
        if current == nil || offset >= count {
            guard advance() else { return nil }
        }
        guard let current else { return nil }
        let start = offset
        offset = count
        return UnsafeRawBufferPointer(rebasing: channel.blocks[current][start..<count])
    }

    /// Copies up to `target.count` bytes into `target`; 0 at the entry's end.
    func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        if current == nil || offset >= count {
            guard advance() else { return 0 }
        }
        guard let current else { return 0 }
        let size = min(target.count, count - offset)
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: channel.blocks[current][offset..<offset + size]))
        offset += size
        return size
    }

    /// Gives back what a routed entry's reader left (it stopped early: binary content, a budget) and every
    /// block routed to it from now on, so the reading thread never waits for blocks nobody will read.
    func abandon() {
        guard isRouted else { return }
        release()
        routing.lock()
        abandoned = true
        let left = routedBlocks[routedHead...]
        routedHead = routedBlocks.count
        routing.unlock()
        for (block, _) in left { channel.giveBack(block) }
    }

    /// Reads what the visitor left of the entry, giving its blocks back.
    func drain() {
        while advance() {}
        release()
    }
}
