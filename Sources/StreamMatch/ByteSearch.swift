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

    /// Whether `literal` occurs in `haystack`; with `caseInsensitive`, `literal` is ASCII lower case and
    /// the haystack is compared regardless of ASCII case.
    static func contains(_ literal: [UInt8], in haystack: UnsafeRawBufferPointer, caseInsensitive: Bool) -> Bool {
        guard let base = haystack.baseAddress, let first = literal.first else { return literal.isEmpty }
        let count = haystack.count
        let length = literal.count
        guard length <= count else { return false }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        return literal.withUnsafeBufferPointer { needle in
            if !caseInsensitive {
                var offset = 0
                while offset + length <= count,
                    let found = index(of: first, in: base + offset, count: count - offset - length + 1)
                {
                    let start = offset + found
                    if let pointer = needle.baseAddress, memcmp(base + start, pointer, length) == 0 { return true }
                    offset = start + 1
                }
                return false
            }
            var start = 0
            while start + length <= count {
                var index = 0
                while index < length {
                    var c = bytes[start + index]
                    if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                    if c != needle[index] { break }
                    index += 1
                }
                if index == length { return true }
                start += 1
            }
            return false
        }
    }
}
