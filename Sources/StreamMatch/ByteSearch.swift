#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte searches through the C library (vectorised in glibc).
enum ByteSearch {
    /// The offset of the first `byte` in `count` bytes at `start`, or nil.
    @inline(__always)
    static func index(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int? {
        guard count > 0, let found = memchr(start, Int32(byte), count) else { return nil }
        return start.distance(to: UnsafeRawPointer(found))
    }

    /// The offset of the last `byte` in `count` bytes at `start`, or nil.
    @inline(__always)
    static func lastIndex(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int? {
        var position = count - 1
        while position >= 0 {
            if start.load(fromByteOffset: position, as: UInt8.self) == byte { return position }
            position -= 1
        }
        return nil
    }

    /// The number of `byte`s in `count` bytes at `start`.
    @inline(__always)
    static func count(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int {
        var total = 0
        var offset = 0
        while offset < count, let found = index(of: byte, in: start + offset, count: count - offset) {
            total += 1
            offset += found + 1
        }
        return total
    }
}
