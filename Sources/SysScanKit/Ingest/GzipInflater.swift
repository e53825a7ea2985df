import CISAL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Inflates a gzip file on a thread of its own, with ISA-L, ahead of its reader: the upload's bytes are
/// decompressed on one core while they are matched on another.
///
/// A bounded queue of blocks lies between the two, so memory stays bounded whatever the upload's
/// size.
///
/// Multi-member files are read member after member (as `gzip -d` does); bytes after the last member that
/// do not start another member are ignored. A damaged stream ends the data where the damage starts and
/// the reason is kept in `failure`.
final class GzipInflater: @unchecked Sendable {
    // Safety: `filled`, `free`, `finished`, `failure` and `stopped` are guarded by `condition`; the
    // blocks' memory is written by the inflating thread only while a block is out of both queues, and read
    // by the consumer only while it holds the block it took.
    private let condition = NSCondition()
    private var filled: [(UnsafeMutableRawBufferPointer, Int)] = []
    private var free: [UnsafeMutableRawBufferPointer]
    private var finished = false
    private var stopped = false
    private var reason: String?
    private var current: UnsafeMutableRawBufferPointer?
    private let all: [UnsafeMutableRawBufferPointer]
    private var thread: Thread?

    /// The block size of the output, and how many blocks may wait.
    static let blockSize = 256 << 10
    static let blocks = 8

    /// Starts inflating `path`.
    ///
    /// - Parameter path: A gzip file.
    init(path: String) {
        all = (0..<Self.blocks).map { _ in
            UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 64)
        }
        free = all
        let thread = Thread { [self] in run(path) }
        thread.stackSize = 1 << 20
        thread.name = "sysscan.inflate"
        self.thread = thread
        thread.start()
    }

    deinit {
        stop()
        // The thread holds `self` until it ends; by deinit it has ended, so the blocks are unused.
        for block in all { block.deallocate() }
    }

    /// Why the data ended early, when it did.
    var failure: String? { condition.withLock { reason } }

    /// The next block of inflated bytes (valid until the next call), or nil at the end.
    func next() -> UnsafeRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        if let current {
            free.append(current)
            self.current = nil
            condition.broadcast()
        }
        while filled.isEmpty, !finished { condition.wait() }
        guard !filled.isEmpty else { return nil }
        let (block, count) = filled.removeFirst()
        current = block
        return UnsafeRawBufferPointer(rebasing: block[0..<count])
    }

    /// Stops the inflating thread (the reader is done early) and waits for it.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    // MARK: The inflating thread

    private func run(_ path: String) {
        var failure: String?
        defer {
            condition.lock()
            if reason == nil { reason = failure }
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            failure = "cannot open: \(String(cString: strerror(errno)))"
            return
        }
        defer { close(descriptor) }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { input.deallocate() }
        let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
        defer { state.deallocate() }
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        var endOfFile = false
        var memberStarted = false
        guard var block = takeFreeBlock() else { return }
        state.pointee.next_out = block.baseAddress?.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(block.count)
        while true {
            if state.pointee.avail_in == 0, !endOfFile {
                let count = read(descriptor, input.baseAddress, input.count)
                if count < 0 {
                    failure = "read error: \(String(cString: strerror(errno)))"
                    break
                }
                if count == 0 {
                    endOfFile = true
                } else {
                    state.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    state.pointee.avail_in = UInt32(count)
                }
            }
            if state.pointee.avail_in == 0, endOfFile {
                if memberStarted, state.pointee.block_state != ISAL_BLOCK_FINISH { failure = "truncated gzip input" }
                break
            }
            memberStarted = true
            let result = isal_inflate(state)
            if result < 0 {
                failure = Self.describe(result)
                break
            }
            let produced = block.count - Int(state.pointee.avail_out)
            if state.pointee.avail_out == 0 || state.pointee.block_state == ISAL_BLOCK_FINISH, produced > 0 {
                guard hand(block, produced), let fresh = takeFreeBlock() else { return }
                block = fresh
                state.pointee.next_out = block.baseAddress?.assumingMemoryBound(to: UInt8.self)
                state.pointee.avail_out = UInt32(block.count)
            }
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                // Another member may follow: only when its magic does.
                if state.pointee.avail_in == 0, !endOfFile {
                    let count = read(descriptor, input.baseAddress, input.count)
                    if count > 0 {
                        state.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                        state.pointee.avail_in = UInt32(count)
                    } else {
                        endOfFile = true
                    }
                }
                guard state.pointee.avail_in >= 2, let next = state.pointee.next_in, next[0] == 0x1F, next[1] == 0x8B
                else {
                    memberStarted = false
                    break
                }
                let (nextIn, availIn) = (state.pointee.next_in, state.pointee.avail_in)
                let (nextOut, availOut) = (state.pointee.next_out, state.pointee.avail_out)
                isal_inflate_reset(state)
                state.pointee.crc_flag = UInt32(ISAL_GZIP)
                state.pointee.next_in = nextIn
                state.pointee.avail_in = availIn
                state.pointee.next_out = nextOut
                state.pointee.avail_out = availOut
            }
        }
        let produced = block.count - Int(state.pointee.avail_out)
        if produced > 0 {
            _ = hand(block, produced)
        } else {
            condition.withLock { free.append(block) }
        }
    }

    /// A free block, or nil when the reader stopped.
    private func takeFreeBlock() -> UnsafeMutableRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty, !stopped { condition.wait() }
        guard !stopped else { return nil }
        return free.removeLast()
    }

    /// Queues a filled block; false when the reader stopped.
    private func hand(_ block: UnsafeMutableRawBufferPointer, _ count: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return false }
        filled.append((block, count))
        condition.broadcast()
        return true
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ISAL_INVALID_BLOCK: "invalid deflate block"
        case ISAL_INVALID_SYMBOL: "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: "invalid deflate distance"
        case ISAL_INVALID_WRAPPER: "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: "unsupported gzip compression method"
        case ISAL_INCORRECT_CHECKSUM: "gzip checksum error (the data is damaged)"
        default: "gzip data error \(code)"
        }
    }
}
