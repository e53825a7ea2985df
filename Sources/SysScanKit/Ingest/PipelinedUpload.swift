import Foundation

/// Reads an archive upload on a thread of its own while the entries are matched on the calling thread:
/// libarchive's decompression (zip's deflate, zstd, xz, bzip2) and matching run on two cores. A bounded
/// queue lies between the two, so memory stays bounded; entries, their bytes and the warnings arrive in
/// the order the reader met them, so the report is the one a reading on one thread gives.
///
/// Only the entries the scan reads are copied across (`wantsContent`); the others cross as names alone.
enum PipelinedUpload {
    /// Whether `path` is worth reading on a thread of its own: an archive file whose decompression is
    /// libarchive's (a gzip file already has an inflating thread of its own).
    static func isWorthPipelining(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
            let handle = FileHandle(forReadingAtPath: path)
        else { return false }
        defer { try? handle.close() }
        let prefix = Array((try? handle.read(upToCount: ContentSniffer.prefixLength)) ?? Data())
        switch ContentSniffer.sniff(prefix) {
        case .compressed("gzip"), .other: return false
        case .archive, .compressed: return true
        }
    }

    /// Reads `path` with `reader` on another thread and hands its entries to `visitor` on this one.
    ///
    /// - Parameters:
    ///   - path: The upload.
    ///   - reader: How it is read.
    ///   - visitor: Receives the entries, on the calling thread.
    ///   - wantsContent: Whether the visitor reads an entry's bytes (called on the reading thread).
    /// - Returns: What the upload is.
    /// - Throws: `ScanError` when the upload cannot be used at all.
    static func read(
        _ path: String, reader: UploadReader, visitor: some UploadVisitor, wantsContent: @escaping @Sendable (ArtifactName) -> Bool
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
        while true {
            switch channel.receive() {
            case let .entry(name):
                let source = ChannelSource(channel: channel)
                visitor.visit(name, stream: EntryStream(source: source))
                source.drain()
            case let .warning(warning):
                visitor.warn(warning)
            case let .skipped(name):
                visitor.skippedWithWarning(name)
            case .chunk, .end:
                continue  // an entry's rest, already drained
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
    case chunk([UInt8])
    case end
    case warning(ScanWarning)
    case skipped(ArtifactName)
    case done(Result<ScanReport.Input, ScanError>)
}

/// A bounded queue of messages between one reading and one matching thread.
final class EntryChannel: @unchecked Sendable {
    // Safety: `messages`, `head` and `queuedBytes` are guarded by `condition`.
    private let condition = NSCondition()
    private var messages: [EntryMessage] = []
    private var head = 0
    private var queuedBytes = 0
    /// Bytes of chunks that may wait in the queue.
    static let capacity = 8 << 20

    func send(_ message: EntryMessage) {
        let size: Int
        if case let .chunk(bytes) = message { size = bytes.count } else { size = 0 }
        condition.lock()
        while size > 0, queuedBytes + size > Self.capacity, queuedBytes > 0 { condition.wait() }
        messages.append(message)
        queuedBytes += size
        condition.broadcast()
        condition.unlock()
    }

    func receive() -> EntryMessage {
        condition.lock()
        defer { condition.unlock() }
        while head == messages.count { condition.wait() }
        let message = messages[head]
        head += 1
        if head > 1024, head * 2 > messages.count {
            messages.removeFirst(head)
            head = 0
        }
        if case let .chunk(bytes) = message {
            queuedBytes -= bytes.count
            condition.broadcast()
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
            while let chunk = stream.next() { channel.send(.chunk(Array(chunk))) }
        }
        channel.send(.end)
    }

    func warn(_ warning: ScanWarning) { channel.send(.warning(warning)) }

    func skippedWithWarning(_ name: ArtifactName) { channel.send(.skipped(name)) }
}

/// One entry's bytes as they arrive through the channel.
final class ChannelSource {
    private let channel: EntryChannel
    private var current: [UInt8] = []
    private var offset = 0
    private var ended = false

    init(channel: EntryChannel) { self.channel = channel }

    /// The rest of the current chunk, or the next one (valid until the next call); nil at the entry's end.
    func next() -> UnsafeRawBufferPointer? {
        while offset >= current.count {
            guard !ended, case let .chunk(bytes) = nextMessage() else { return nil }
            current = bytes
            offset = 0
        }
        let start = offset
        offset = current.count
        return current.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[start...]) }
    }

    /// Copies up to `target.count` bytes into `target`; 0 at the entry's end.
    func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        while offset >= current.count {
            guard !ended, case let .chunk(bytes) = nextMessage() else { return 0 }
            current = bytes
            offset = 0
        }
        let count = min(target.count, current.count - offset)
        current.withUnsafeBytes { source in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }

    /// Reads what the visitor left of the entry.
    func drain() {
        while !ended { _ = nextMessage() }
    }

    private func nextMessage() -> EntryMessage {
        let message = channel.receive()
        if case .end = message { ended = true }
        return message
    }
}
