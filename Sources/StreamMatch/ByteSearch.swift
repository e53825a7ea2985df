import CAtomScan

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte searches through the C library (vectorised in glibc) and `CAtomScan`.
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
        let found = as_last_index(start.assumingMemoryBound(to: UInt8.self), count, byte)
        return found < 0 ? nil : found
    }

    /// The number of `byte`s in `count` bytes at `start`.
    @inline(__always)
    static func count(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return as_count_byte(start.assumingMemoryBound(to: UInt8.self), count, byte)
    }

    /// The index of the byte of `literal` least frequent in log text (the first `first` if none is rarer).
    static func rarestByteIndex(_ literal: [UInt8]) -> Int {
        var best = 0
        var bestRarity = -1
        for (index, byte) in literal.enumerated() {
            let rarity = AtomFilter.rarity(byte)
            if rarity > bestRarity {
                best = index
                bestRarity = rarity
            }
        }
        return best
    }

    /// Whether `literal` occurs in `haystack`; with `caseInsensitive`, `literal` is ASCII lower case and
    /// the haystack is compared regardless of ASCII case.
    static func contains(
        _ literal: [UInt8], in haystack: UnsafeRawBufferPointer, caseInsensitive: Bool, anchor: Int? = nil
    ) -> Bool {
        guard let base = haystack.baseAddress, let first = literal.first else { return literal.isEmpty }
        let count = haystack.count
        let length = literal.count
        guard length <= count else { return false }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        return literal.withUnsafeBufferPointer { needle in
            if !caseInsensitive {
                // Look for the literal's rarest byte with memchr, then compare the whole literal around it.
                let anchor = anchor ?? rarestByteIndex(literal)
                let anchorByte = literal[anchor]
                var offset = anchor
                let lastStart = count - length
                while offset <= lastStart + anchor,
                    let found = index(of: anchorByte, in: base + offset, count: lastStart + anchor - offset + 1)
                {
                    let start = offset + found - anchor
                    if let pointer = needle.baseAddress, memcmp(base + start, pointer, length) == 0 { return true }
                    offset += found + 1
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

/// A literal prepared for repeated searches: its bytes and the index of its rarest byte.
struct Needle: Sendable, Hashable {
    /// The literal (ASCII lower case when searched regardless of case).
    let bytes: [UInt8]
    /// The index of the byte that `memchr` looks for first.
    let anchor: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.anchor = ByteSearch.rarestByteIndex(bytes)
    }

    /// Whether the literal occurs in `haystack`.
    @inline(__always)
    func occurs(in haystack: UnsafeRawBufferPointer, caseInsensitive: Bool) -> Bool {
        ByteSearch.contains(bytes, in: haystack, caseInsensitive: caseInsensitive, anchor: anchor)
    }
}
