#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte searches through the C library (vectorised in glibc) and the prefilter's C loops (`AtomFilter`).
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
        AtomFilter.lastIndex(of: byte, in: start, count: count)
    }

    /// The number of `byte`s in `count` bytes at `start`.
    @inline(__always)
    static func count(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return AtomFilter.count(of: byte, in: start, count: count)
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
    static func contains(_ literal: [UInt8], in haystack: UnsafeRawBufferPointer, caseInsensitive: Bool) -> Bool {
        guard let base = haystack.baseAddress else { return literal.isEmpty }
        return AtomFilter.contains(
            literal, in: base, count: haystack.count, rarestByte: rarestByteIndex(literal),
            caseInsensitive: caseInsensitive)
    }
}
