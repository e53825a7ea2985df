/// Finds, in one pass over a block, every occurrence of many literals ("atoms") at once.
///
/// A sampled q-gram filter. The scan hashes the 4-byte window at every `stride`-th position only
/// (with a lossy ASCII case fold, so case-insensitive atoms need no second pass) and looks the hash up
/// in a bitmap that fits in cache. An atom of length L has L-3 windows; whatever the position of an
/// occurrence, exactly one of any `stride` consecutive windows starts at a sampled position, so each
/// atom indexes just `stride` consecutive windows (`stride <= L-3` for every atom): the block of its
/// rarest ones, judged by a table of byte frequencies in log text. A set bit is verified against the
/// atoms whose windows hash there. Immutable and `Sendable`.
final class AtomFilter: @unchecked Sendable {
    // Safety: every stored property is written in `init` only and read afterwards.

    /// A literal to find.
    struct Atom: Hashable {
        /// Its bytes (ASCII lower case when `caseInsensitive`).
        var bytes: [UInt8]
        /// Whether it matches regardless of ASCII case.
        var caseInsensitive: Bool
    }

    /// The window size.
    static let q = 4
    /// Windows beyond this many bytes into an atom are not indexed (a long atom needs no more).
    static let indexedPrefix = 32

    let atoms: [Atom]
    /// Positions sampled: every `stride`-th.
    let stride: Int
    private let shift: UInt32
    private let bitmap: UnsafeMutablePointer<UInt64>
    private let bucketStart: UnsafeMutablePointer<UInt32>
    private let entries: UnsafeMutablePointer<UInt32>
    /// For each entry, the folded 4-byte window it was indexed under: most bucket collisions are
    /// rejected by comparing it, without touching the atom.
    private let entryWords: UnsafeMutablePointer<UInt32>
    private let atomBytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
    private let atomLengths: UnsafeMutablePointer<Int>
    private let atomFolded: UnsafeMutablePointer<Bool>
    private let bucketCount: Int

    /// Builds the filter; every atom must be at least `q` bytes long.
    init(atoms: [Atom]) {
        self.atoms = atoms
        let shortest = atoms.map { min($0.bytes.count, Self.indexedPrefix) }.min() ?? Self.q
        stride = max(1, shortest - Self.q + 1)
        let windows = atoms.count * stride
        var bits = 12
        while bits < 22, (1 << bits) < windows * 32 { bits += 1 }
        shift = UInt32(32 - bits)
        bucketCount = 1 << bits
        bitmap = .allocate(capacity: bucketCount / 64)
        bitmap.initialize(repeating: 0, count: bucketCount / 64)
        bucketStart = .allocate(capacity: bucketCount + 1)
        bucketStart.initialize(repeating: 0, count: bucketCount + 1)
        // Two passes: count per bucket, then fill (entries packed as atom << 5 | offset).
        var keys: [(bucket: Int, entry: UInt32, word: UInt32)] = []
        keys.reserveCapacity(windows)
        for (index, atom) in atoms.enumerated() {
            let indexed = min(atom.bytes.count, Self.indexedPrefix)
            guard indexed >= Self.q else { continue }
            let first = Self.rarestBlock(atom.bytes, windows: indexed - Self.q + 1, length: stride)
            for offset in first..<(first + stride) {
                let word = UInt32(atom.bytes[offset]) | UInt32(atom.bytes[offset + 1]) << 8
                    | UInt32(atom.bytes[offset + 2]) << 16 | UInt32(atom.bytes[offset + 3]) << 24
                let bucket = Int(Self.hash(word, shift: UInt32(32 - bits)))
                keys.append((bucket, UInt32(index) << 5 | UInt32(offset), word | 0x2020_2020))
            }
        }
        for key in keys { bucketStart[key.bucket + 1] += 1 }
        for bucket in 0..<bucketCount { bucketStart[bucket + 1] += bucketStart[bucket] }
        entries = .allocate(capacity: max(1, keys.count))
        entryWords = .allocate(capacity: max(1, keys.count))
        var fill = Array(UnsafeBufferPointer(start: bucketStart, count: bucketCount))
        for key in keys.sorted(by: { $0.entry < $1.entry }) {
            entries[Int(fill[key.bucket])] = key.entry
            entryWords[Int(fill[key.bucket])] = key.word
            fill[key.bucket] += 1
            bitmap[key.bucket >> 6] |= 1 << UInt64(key.bucket & 63)
        }
        atomBytes = .allocate(capacity: max(1, atoms.count))
        atomLengths = .allocate(capacity: max(1, atoms.count))
        atomFolded = .allocate(capacity: max(1, atoms.count))
        for (index, atom) in atoms.enumerated() {
            let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, atom.bytes.count))
            pointer.initialize(from: atom.bytes, count: atom.bytes.count)
            (atomBytes + index).initialize(to: pointer)
            atomLengths[index] = atom.bytes.count
            atomFolded[index] = atom.caseInsensitive
        }
    }

    deinit {
        bitmap.deallocate()
        bucketStart.deallocate()
        entries.deallocate()
        entryWords.deallocate()
        for index in 0..<atoms.count { atomBytes[index].deallocate() }
        atomBytes.deallocate()
        atomLengths.deallocate()
        atomFolded.deallocate()
    }

    /// The bytes of the bitmap, bucket table and entries (for memory figures).
    var memoryFootprint: Int { bucketCount / 8 + (bucketCount + 1) * 4 + Int(bucketStart[bucketCount]) * 4 }

    /// The first of the `length` consecutive windows (of `windows`) whose bytes are rarest in logs.
    static func rarestBlock(_ bytes: [UInt8], windows: Int, length: Int) -> Int {
        let scores = (0..<windows).map { offset in (offset..<(offset + q)).reduce(0) { $0 + rarity(bytes[$1]) } }
        var best = 0
        var bestScore = Int.min
        for start in 0...(windows - length) {
            let score = scores[start..<(start + length)].reduce(0, +)
            if score > bestScore {
                best = start
                bestScore = score
            }
        }
        return best
    }

    /// How rare a byte is in log text, from 0 (space, common lower-case letters, digits) to 4.
    static func rarity(_ byte: UInt8) -> Int {
        switch byte {
        case 0x20, UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
            UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "2"):
            return 0
        case UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "u"), UInt8(ascii: "h"), UInt8(ascii: "m"),
            UInt8(ascii: "p"), UInt8(ascii: "g"), UInt8(ascii: "f"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "/"), UInt8(ascii: "3")...UInt8(ascii: "9"):
            return 1
        case UInt8(ascii: "b"), UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "v"), UInt8(ascii: "k"), UInt8(ascii: "x"),
            UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "T"), UInt8(ascii: "S"), UInt8(ascii: "E"), UInt8(ascii: "A"), UInt8(ascii: "I"),
            UInt8(ascii: "C"), UInt8(ascii: "R"), UInt8(ascii: "N"), UInt8(ascii: "O"):
            return 2
        case 0x21...0x7E:
            return 3
        default:
            return 4
        }
    }

    @inline(__always)
    private static func hash(_ word: UInt32, shift: UInt32) -> UInt32 {
        ((word | 0x2020_2020) &* 0x9E37_79B1) >> shift
    }

    /// Calls `found` with (atom index, start offset) for every occurrence of an atom in `block`, in
    /// ascending order of the sampled position that found it (so by line, but not strictly by start).
    /// `found` returns -1 to go on, or an offset to resume from (skipping the rest of a line whose
    /// outcome is already known; occurrences that start before it are not reported).
    @inline(__always)
    func scan(_ block: UnsafeRawBufferPointer, _ found: (Int, Int) -> Int) {
        guard let base = block.baseAddress, block.count >= Self.q else { return }
        let count = block.count
        let last = count - Self.q
        let shift = self.shift
        let bitmap = self.bitmap
        var position = 0
        while position <= last {
            let word = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            let bucket = Int(Self.hash(word, shift: shift))
            if bitmap[bucket >> 6] & (1 << UInt64(bucket & 63)) != 0 {
                let resume = verify(bucket: bucket, at: position, in: base, count: count, found)
                if resume >= 0 {
                    position = resume
                    continue
                }
            }
            position &+= stride
        }
    }

    @inline(never)
    private func verify(
        bucket: Int, at position: Int, in base: UnsafeRawPointer, count: Int, _ found: (Int, Int) -> Int
    ) -> Int {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let word = base.loadUnaligned(fromByteOffset: position, as: UInt32.self) | 0x2020_2020
        var entry = Int(bucketStart[bucket])
        let end = Int(bucketStart[bucket + 1])
        while entry < end {
            let packed = entries[entry]
            let indexedWord = entryWords[entry]
            entry += 1
            guard indexedWord == word else { continue }
            let atom = Int(packed >> 5)
            let start = position - Int(packed & 31)
            let length = atomLengths[atom]
            guard start >= 0, start + length <= count else { continue }
            let literal = atomBytes[atom]
            var index = 0
            if atomFolded[atom] {
                while index < length {
                    var c = bytes[start + index]
                    if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                    if c != literal[index] { break }
                    index += 1
                }
            } else {
                while index < length, bytes[start + index] == literal[index] { index += 1 }
            }
            if index == length {
                let resume = found(atom, start)
                if resume >= 0 { return resume }
            }
        }
        return -1
    }
}
