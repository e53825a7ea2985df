#if canImport(Glibc)
    import Glibc
#endif

/// A regular file read through memory mappings of a sliding window: no copy from the page cache, and
/// resident memory bounded by the window whatever the file's size.
final class MappedFile {
    /// The mapped window's size (a multiple of any page size).
    static let windowSize = 16 << 20
    /// The largest chunk handed out at once.
    static let chunkSize = 1 << 20

    private let descriptor: Int32
    private let size: Int
    private var window: UnsafeMutableRawPointer?
    private var windowOffset = 0
    private var windowLength = 0
    private var position = 0

    /// Maps nothing yet; fails (nil) when the first window cannot be mapped.
    init?(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        self.size = size
        guard size > 0, map(at: 0) else { return nil }
    }

    deinit { unmap() }

    /// The first `count` bytes (or fewer), copied.
    func prefix(_ count: Int) -> [UInt8] {
        guard let window else { return [] }
        return Array(UnsafeRawBufferPointer(start: window, count: min(count, windowLength)))
    }

    /// The next chunk (valid until the next call), or nil at the end or when a window cannot be mapped.
    func next() -> UnsafeRawBufferPointer? {
        guard position < size else {
            unmap()
            return nil
        }
        if position >= windowOffset + windowLength {
            guard map(at: position) else { return nil }
        }
        guard let window else { return nil }
        let start = position - windowOffset
        let count = min(Self.chunkSize, windowLength - start)
        position += count
        return UnsafeRawBufferPointer(start: window + start, count: count)
    }

    private func map(at offset: Int) -> Bool {
        unmap()
        let length = min(Self.windowSize, size - offset)
        let pointer = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(offset))
        guard let pointer, pointer != MAP_FAILED else { return false }
        _ = madvise(pointer, length, MADV_SEQUENTIAL)
        window = pointer
        windowOffset = offset
        windowLength = length
        return true
    }

    private func unmap() {
        if let window { munmap(window, windowLength) }
        window = nil
    }
}
