#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one entry of an upload (an archive entry or a file of a folder), read in blocks, with
/// a look at the first bytes that does not consume them.
///
/// A read error ends the stream and is kept in `failure`, so consumers only ever see bytes or the end.
final class EntryStream {
    /// Why the stream ended early.
    enum Failure {
        /// This entry is damaged; the rest of the archive may be fine.
        case damaged(String)
        /// The archive cannot be read past this point.
        case fatal(String)
        /// The entry expanded past its budget (`ExpansionBudget`); the message says how far.
        case overBudget(String)
        /// The upload's budget or time ran out (`ExpansionMeter.stop` says which): nothing more is read.
        case uploadStopped
    }

    private enum Origin {
        case archive(ArchiveReader)
        case file(Int32)
        case memory([UInt8], position: Int)
        case mapped(MappedFile, descriptor: Int32)
        case channel(ChannelSource)
    }

    private var origin: Origin
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    private var ended = false
    /// Why the stream ended early, if it did.
    private(set) var failure: Failure?
    /// The bytes handed out or looked at so far.
    private(set) var bytesRead: Int64 = 0
    /// What the upload has used of its budget; charged with an archive entry's bytes.
    private let meter: ExpansionMeter?
    /// The archive's compressed bytes read when the entry started.
    private let compressedStart: Int64

    /// A stream over the current entry of `archive`.
    ///
    /// - Parameters:
    ///   - archive: The archive, positioned at the entry.
    ///   - blockSize: The read size.
    ///   - meter: The upload's budget, charged with every byte read; the stream ends when it is spent.
    init(archive: ArchiveReader, blockSize: Int = 64 * 1024, meter: ExpansionMeter? = nil) {
        origin = .archive(archive)
        buffer = .allocate(byteCount: blockSize, alignment: 16)
        self.meter = meter
        compressedStart = meter == nil ? 0 : archive.compressedBytesRead
    }

    /// A stream over an open file descriptor, which the stream closes.
    init(fileDescriptor: Int32, blockSize: Int = 64 * 1024) {
        origin = .file(fileDescriptor)
        buffer = .allocate(byteCount: blockSize, alignment: 16)
        meter = nil
        compressedStart = 0
    }

    /// A stream over an entry's bytes arriving from a reading thread (`PipelinedUpload`).
    init(source: ChannelSource, blockSize: Int = 64 * 1024) {
        origin = .channel(source)
        buffer = .allocate(byteCount: blockSize, alignment: 16)
        meter = nil
        compressedStart = 0
    }

    /// A stream over bytes in memory, handed out in blocks of `blockSize` (rule examples, tests).
    init(bytes: [UInt8], blockSize: Int = 64 * 1024) {
        origin = .memory(bytes, position: 0)
        buffer = .allocate(byteCount: max(1, blockSize), alignment: 16)
        meter = nil
        compressedStart = 0
    }

    /// A stream over a regular file of `size` bytes through memory mappings (falling back to reads).
    convenience init(regularFile descriptor: Int32, size: Int, blockSize: Int = 64 * 1024) {
        if let mapped = MappedFile(descriptor: descriptor, size: size) {
            self.init(mapped: mapped, descriptor: descriptor)
        } else {
            self.init(fileDescriptor: descriptor, blockSize: blockSize)
        }
    }

    private init(mapped: MappedFile, descriptor: Int32) {
        origin = .mapped(mapped, descriptor: descriptor)
        buffer = .allocate(byteCount: 1, alignment: 16)
        meter = nil
        compressedStart = 0
    }

    deinit {
        buffer.deallocate()
        switch origin {
        case let .file(descriptor), let .mapped(_, descriptor): close(descriptor)
        case let .channel(source): source.abandon()
        default: break
        }
    }

    /// Lets the stream be read on another thread after the visit that received it has returned.
    ///
    /// True for
    /// streams that do not depend on the reader's position (a mapped file, bytes in memory, an entry whose
    /// blocks the reading thread can route to it); false for the others, which must be read during the visit.
    func detach() -> Bool {
        switch origin {
        case .mapped, .memory: true
        case let .channel(source): source.route()
        case .archive, .file: false
        }
    }

    /// Ends a detached stream's reading: what is left of it is given back unread (an entry's blocks still
    /// routed to it go straight back to the reading thread's pool).
    func abandon() {
        if case let .channel(source) = origin { source.abandon() }
    }

    /// Returns up to `count` first bytes of the entry without consuming them.
    func peek(_ count: Int = ContentSniffer.prefixLength) -> [UInt8] {
        if case let .mapped(file, _) = origin { return file.prefix(count) }
        let wanted = min(count, buffer.count)
        while buffered < wanted, !ended {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[buffered...])
            let got = fill(target)
            if got == 0 { ended = true } else { buffered += got }
        }
        return Array(buffer[0..<min(buffered, wanted)])
    }

    /// Returns the next bytes (valid until the next call), or nil at the end or after a failure.
    func next() -> UnsafeRawBufferPointer? {
        if case let .mapped(file, _) = origin {
            guard let chunk = file.next() else { return nil }
            bytesRead += Int64(chunk.count)
            return chunk
        }
        if buffered > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<buffered])
            buffered = 0
            return chunk
        }
        if case let .channel(source) = origin {
            // Handed over as it arrived, without a copy.
            guard !ended, let chunk = source.next() else {
                ended = true
                return nil
            }
            bytesRead += Int64(chunk.count)
            return chunk
        }
        guard !ended else { return nil }
        let got = fill(buffer)
        if got == 0 {
            ended = true
            return nil
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<got])
    }

    private func fill(_ target: UnsafeMutableRawBufferPointer) -> Int {
        guard failure == nil, target.count > 0 else { return 0 }
        switch origin {
        case let .archive(archive):
            switch archive.read(into: target) {
            case let .data(count):
                bytesRead += Int64(count)
                if let meter {
                    failure = meter.charge(
                        count, entryBytes: bytesRead, entryCompressed: archive.compressedBytesRead - compressedStart)
                }
                return count
            case .end: return 0
            case let .failed(message):
                failure = .damaged(message)
                return 0
            case let .fatal(message):
                failure = .fatal(message)
                return 0
            }
        case .mapped:
            return 0
        case let .channel(source):
            let count = source.read(into: target)
            bytesRead += Int64(count)
            return count
        case let .memory(bytes, position):
            let count = min(target.count, bytes.count - position)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
            }
            origin = .memory(bytes, position: position + count)
            bytesRead += Int64(count)
            return count
        case let .file(descriptor):
            while true {
                let count = read(descriptor, target.baseAddress, target.count)
                if count >= 0 {
                    bytesRead += Int64(count)
                    return count
                }
                if errno == EINTR { continue }
                failure = .damaged(String(cString: strerror(errno)))
                return 0
            }
        }
    }
}
