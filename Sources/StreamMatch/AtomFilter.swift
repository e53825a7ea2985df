import CAtomScan

/// Finds, in one pass over a block, every occurrence of many literals ("atoms") at once.
///
/// Two finders, merged by position (the loops are in C, `CAtomScan`):
/// - a sampled q-gram filter for the long atoms: the scan hashes the 4-byte window at every
///   `stride`-th position only (with a lossy ASCII case fold, so case-insensitive atoms need no second
///   pass) and looks the hash up in a bitmap that fits in cache. An atom of length L has L-3 windows;
///   whatever the position of an occurrence, the windows whose offsets in the atom have one remainder
///   modulo `stride` start at sampled positions, so each atom indexes just `stride` windows
///   (`stride <= L-3`), the rarest of each remainder: judged by a table of byte frequencies in log
///   text, or by a survey of the input. A set bit is verified against the atoms whose windows hash
///   there.
/// - Teddy (nibble-mask shuffles) for the few atoms short enough that they would force a small stride
///   on all the others.
///
/// Immutable and `Sendable`.
final class AtomFilter: @unchecked Sendable {
    // Safety: every stored property is written in `init` only and read afterwards.

    /// A literal to find.
    struct Atom: Hashable {
        /// Its bytes (ASCII lower case when `caseInsensitive`).
        var bytes: [UInt8]
        /// Whether it matches regardless of ASCII case.
        var caseInsensitive: Bool

        /// Hashes the bytes at once (the synthesized hash feeds them to the hasher one by one).
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(caseInsensitive)
        }
    }

    /// The window size, and the shortest atom.
    static let q = 4
    /// Windows beyond this many bytes into an atom are not indexed (a long atom needs no more).
    static let indexedPrefix = 32
    /// The most atoms Teddy takes.
    static let maxShortAtoms = 64

    let atoms: [Atom]
    /// Positions the sampled filter looks at: every `stride`-th.
    let stride: Int
    /// The atoms Teddy finds (the others are the sampled filter's).
    let shortAtoms: [Int]
    /// The tables the C scanner reads.
    let raw: UnsafeMutablePointer<as_filter>
    private var allocations: [UnsafeMutableRawPointer] = []

    /// Builds the filter; every atom must be at least `q` bytes long.
    ///
    /// - Parameters:
    ///   - atoms: The literals to find.
    ///   - histogram: How often each window occurs in a sample of the input, when one was measured:
    ///     each atom then indexes the windows that occur there least often without it.
    ///   - occurrences: How often each atom occurs in that sample.
    ///   - vectorized: Whether Teddy may use vector instructions (false in tests of the scalar loop).
    ///   - allowsTeddy: Whether Teddy may take the short atoms; without it the sampled filter takes all
    ///     (for blocks as short as a line, where Teddy's byte-by-byte tail is most of the work).
    init(
        atoms: [Atom], histogram: WindowHistogram? = nil, occurrences: [Int]? = nil, vectorized: Bool = true,
        allowsTeddy: Bool = true
    ) {
        self.atoms = atoms
        let lengths = atoms.map { min($0.bytes.count, Self.indexedPrefix) }
        let split =
            allowsTeddy
            ? Self.split(lengths: lengths) : (stride: max(1, (lengths.min() ?? Self.q) - Self.q + 1), short: [])
        stride = split.stride
        shortAtoms = split.short
        raw = .allocate(capacity: 1)
        raw.initialize(to: as_filter())

        let count = max(1, atoms.count)
        let atomBytes = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: count)
        let atomLengths = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        let atomFolded = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        allocations += [
            UnsafeMutableRawPointer(atomBytes), UnsafeMutableRawPointer(atomLengths),
            UnsafeMutableRawPointer(atomFolded),
        ]
        for (index, atom) in atoms.enumerated() {
            let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, atom.bytes.count))
            pointer.initialize(from: atom.bytes, count: atom.bytes.count)
            allocations.append(UnsafeMutableRawPointer(pointer))
            atomBytes[index] = UnsafePointer(pointer)
            atomLengths[index] = UInt32(atom.bytes.count)
            atomFolded[index] = atom.caseInsensitive ? 1 : 0
        }
        raw.pointee.atom_bytes = UnsafePointer(atomBytes)
        raw.pointee.atom_len = UnsafePointer(atomLengths)
        raw.pointee.atom_folded = UnsafePointer(atomFolded)
        raw.pointee.stride = UInt32(stride)

        let short = Set(shortAtoms)
        let long = atoms.indices.filter { !short.contains($0) }
        if !long.isEmpty { buildSampled(long, histogram: histogram, occurrences: occurrences) }
        if !shortAtoms.isEmpty {
            let ids = shortAtoms.map(UInt32.init)
            raw.pointee.teddy = as_teddy_build(
                ids, ids.count, raw.pointee.atom_bytes, atomLengths, atomFolded, vectorized ? 0 : 1)
            // Without its tables the short atoms would silently never be found.
            precondition(raw.pointee.teddy != nil, "out of memory building the prefilter")
        }
    }

    deinit {
        as_teddy_free(raw.pointee.teddy)
        for pointer in allocations { pointer.deallocate() }
        raw.deallocate()
    }

    /// Chooses which atoms Teddy takes: the shortest ones, when that lets the sampled filter take a
    /// longer stride at a cost lower than what the stride saves.
    ///
    /// - Parameter lengths: The atoms' lengths (capped at `indexedPrefix`).
    /// - Returns: The stride of the sampled filter and the indexes of the short atoms.
    static func split(lengths: [Int]) -> (stride: Int, short: [Int]) {
        let order = lengths.indices.sorted { lengths[$0] < lengths[$1] }
        guard let shortest = order.first.map({ lengths[$0] }) else { return (1, []) }
        // Cost per byte, in sampled-filter lookups: 1/stride, plus Teddy's pass and its false candidates.
        func cost(shortCount: Int) -> Double {
            let stride = shortCount < order.count ? lengths[order[shortCount]] - q + 1 : indexedPrefix
            // Measured: Teddy's false candidates grow quickly past a handful of atoms per bucket.
            return 1 / Double(stride) + (shortCount == 0 ? 0 : 0.08 + 0.02 * Double(shortCount))
        }
        var best = (cost: cost(shortCount: 0), count: 0)
        var taken = 0
        while taken < min(order.count, maxShortAtoms) {
            // Take all atoms of the next length together.
            let length = lengths[order[taken]]
            var next = taken
            while next < order.count, lengths[order[next]] == length { next += 1 }
            guard next <= maxShortAtoms else { break }
            let value = cost(shortCount: next)
            if value < best.cost { best = (value, next) }
            taken = next
        }
        let stride = best.count < order.count ? lengths[order[best.count]] - q + 1 : shortest - q + 1
        return (max(1, stride), Array(order.prefix(best.count)))
    }

    private func buildSampled(_ long: [Int], histogram: WindowHistogram?, occurrences: [Int]?) {
        let windows = long.count * stride
        // A sparse bitmap (few false bits) over a smaller bucket table (a bucket per few windows).
        let density = 64
        var bits = 12
        while bits < 24, (1 << bits) < windows * density { bits += 1 }
        var tableBits = 8
        while tableBits < bits, (1 << tableBits) < windows * 2 { tableBits += 1 }
        let bucketCount = 1 << tableBits
        let bitmapBits = 1 << bits
        let bitmap = UnsafeMutablePointer<UInt64>.allocate(capacity: bitmapBits / 64)
        bitmap.initialize(repeating: 0, count: bitmapBits / 64)
        let bucketStart = UnsafeMutablePointer<UInt32>.allocate(capacity: bucketCount + 1)
        bucketStart.initialize(repeating: 0, count: bucketCount + 1)
        // Two passes: count per bucket, then fill (entries packed as atom << 5 | offset).
        var keys: [(bit: Int, entry: UInt32, word: UInt32, fold: UInt32)] = []
        keys.reserveCapacity(windows)
        // Atoms that index the same window are all compared wherever it occurs: each atom's choice
        // counts the atoms before it that took a window (`shared`), besides the window's frequency.
        var shared: [UInt32: Int] = [:]
        let filterFold: UInt32 = long.contains { atoms[$0].caseInsensitive } ? 0x2020_2020 : 0
        raw.pointee.fold = filterFold
        var words: [UInt32] = []
        var costs: [Int] = []
        for index in long {
            let bytes = atoms[index].bytes
            let indexed = min(bytes.count, Self.indexedPrefix)
            let fold: UInt32 = atoms[index].caseInsensitive ? 0x2020_2020 : 0
            let present = occurrences?[index] ?? 0
            words.removeAll(keepingCapacity: true)
            costs.removeAll(keepingCapacity: true)
            for offset in 0...(indexed - Self.q) {
                let word = Self.window(bytes, at: offset)
                var rarity = 0
                for position in offset..<(offset + Self.q) { rarity += Int(Self.rarityTable[Int(bytes[position])]) }
                let reuse = shared[word, default: 0]
                words.append(word)
                if let histogram {
                    // Occurrences of the window where the atom is not: the hits that verification rejects.
                    let alone = max(0, Int(histogram.count(of: word)) - present)
                    costs.append(alone * 16 + reuse * 2 + (16 - rarity))
                } else {
                    costs.append(reuse * 8 + (16 - rarity) * 2)
                }
            }
            for offset in Self.cheapestWindows(costs, stride: stride) {
                let word = words[offset]
                let exact = Self.window(bytes, at: offset, folded: false)
                shared[word, default: 0] += 1
                // Hashed as the scan hashes it: folded only when some atom ignores case.
                let bit = Int(((filterFold == 0 ? exact : word) &* 0x9E37_79B1) >> UInt32(32 - bits))
                keys.append((bit, UInt32(index) << 5 | UInt32(offset), fold == 0 ? exact : word, fold))
            }
        }
        let tableShift = bits - tableBits
        for key in keys { bucketStart[(key.bit >> tableShift) + 1] += 1 }
        for bucket in 0..<bucketCount { bucketStart[bucket + 1] += bucketStart[bucket] }
        let entries = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, keys.count))
        let entryWords = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, keys.count))
        let entryFold = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, keys.count))
        var fill = Array(UnsafeBufferPointer(start: bucketStart, count: bucketCount))
        // In the order of the atoms (`long` ascends), whose windows a bucket then compares first to last.
        for key in keys {
            let bucket = key.bit >> tableShift
            entries[Int(fill[bucket])] = key.entry
            entryWords[Int(fill[bucket])] = key.word
            entryFold[Int(fill[bucket])] = key.fold
            fill[bucket] += 1
            bitmap[key.bit >> 6] |= 1 << UInt64(key.bit & 63)
        }
        allocations += [
            UnsafeMutableRawPointer(bitmap), UnsafeMutableRawPointer(bucketStart), UnsafeMutableRawPointer(entries),
            UnsafeMutableRawPointer(entryWords), UnsafeMutableRawPointer(entryFold),
        ]
        raw.pointee.bitmap = UnsafePointer(bitmap)
        raw.pointee.shift = UInt32(32 - bits)
        raw.pointee.table_shift = UInt32(tableShift)
        raw.pointee.bucket_start = UnsafePointer(bucketStart)
        raw.pointee.entries = UnsafePointer(entries)
        raw.pointee.entry_words = UnsafePointer(entryWords)
        raw.pointee.entry_fold = UnsafePointer(entryFold)
    }

    /// Whether Teddy runs its vector loop.
    var isVectorized: Bool { as_teddy_is_vectorized(raw.pointee.teddy) != 0 }

    /// The 4-byte window of `bytes` at `offset`, as the scan reads it: folded (`| 0x20202020`, as the
    /// scan hashes it) or exact.
    static func window(_ bytes: [UInt8], at offset: Int, folded: Bool = true) -> UInt32 {
        let word =
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
        return folded ? word | 0x2020_2020 : word
    }

    /// The windows an atom indexes: for each remainder modulo `stride`, its cheapest window whose
    /// offset has that remainder.
    ///
    /// Wherever an occurrence starts, exactly one remainder puts its window on a sampled position, so
    /// one window per remainder finds every occurrence.
    static func cheapestWindows(_ costs: [Int], stride: Int) -> [Int] {
        (0..<stride).map { remainder in
            Swift.stride(from: remainder, to: costs.count, by: stride).min { costs[$0] < costs[$1] } ?? remainder
        }
    }

    /// `rarity` of every byte.
    static let rarityTable: [UInt8] = (0...255).map { UInt8(rarity(UInt8($0))) }

    /// How rare a byte is in log text, from 0 (space, common lower-case letters, digits) to 4.
    static func rarity(_ byte: UInt8) -> Int {
        switch byte {
        case 0x20, UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
            UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "0"), UInt8(ascii: "1"),
            UInt8(ascii: "2"):
            return 0
        case UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "u"), UInt8(ascii: "h"),
            UInt8(ascii: "m"),
            UInt8(ascii: "p"), UInt8(ascii: "g"), UInt8(ascii: "f"), UInt8(ascii: ":"), UInt8(ascii: "."),
            UInt8(ascii: "-"),
            UInt8(ascii: "/"), UInt8(ascii: "3")...UInt8(ascii: "9"):
            return 1
        case UInt8(ascii: "b"), UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "v"), UInt8(ascii: "k"),
            UInt8(ascii: "x"),
            UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "T"), UInt8(ascii: "S"), UInt8(ascii: "E"), UInt8(ascii: "A"),
            UInt8(ascii: "I"),
            UInt8(ascii: "C"), UInt8(ascii: "R"), UInt8(ascii: "N"), UInt8(ascii: "O"):
            return 2
        case 0x21...0x7E:
            return 3
        default:
            return 4
        }
    }

    /// Calls `found` with (atom index, start offset) for every occurrence of an atom in `block`, in
    /// ascending order of the position that found it (so by line, but not strictly by start).
    func scan(_ block: UnsafeRawBufferPointer, using scratch: HitScratch, _ found: (Int, Int) -> Void) {
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        as_cursor_reset(scratch.cursor)
        while true {
            let count = as_next_hits(raw, base, block.count, scratch.cursor, scratch.hits, HitScratch.capacity)
            for index in 0..<count { found(Int(scratch.hits[index].atom), scratch.hits[index].start) }
            // Fewer hits than asked for: the block holds no more.
            if count < HitScratch.capacity { return }
        }
    }
}

/// How often each 4-byte window occurs in a sample, counted by the filter's hash of the window.
struct WindowHistogram: Sendable {
    static let bits: UInt32 = 16
    let counts: [UInt32]

    /// Counts the windows of `sample`.
    init(_ sample: UnsafeRawBufferPointer) {
        var counts = [UInt32](repeating: 0, count: 1 << Int(Self.bits))
        if let base = sample.baseAddress {
            counts.withUnsafeMutableBufferPointer { buffer in
                if let pointer = buffer.baseAddress {
                    as_window_histogram(base.assumingMemoryBound(to: UInt8.self), sample.count, pointer, Self.bits)
                }
            }
        }
        self.counts = counts
    }

    /// The occurrences of the folded window `word` (and of any window that hashes alike).
    func count(of word: UInt32) -> UInt32 { counts[Int((word &* 0x9E37_79B1) >> (32 - Self.bits))] }
}

// MARK: The C loops' other entry points (this file is the only one that imports CAtomScan)

extension AtomFilter {
    /// The offset of the last `byte` in `count` bytes at `start`, or nil.
    @inline(__always)
    static func lastIndex(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int? {
        let found = as_last_index(start.assumingMemoryBound(to: UInt8.self), count, byte)
        return found < 0 ? nil : found
    }

    /// The number of `byte`s in `count` bytes at `start`.
    @inline(__always)
    static func count(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int {
        as_count_byte(start.assumingMemoryBound(to: UInt8.self), count, byte)
    }

    /// Whether `literal` occurs in `count` bytes at `start` (searched from its byte at `rarestByte`).
    static func contains(
        _ literal: [UInt8], in start: UnsafeRawPointer, count: Int, rarestByte: Int, caseInsensitive: Bool
    ) -> Bool {
        literal.withUnsafeBufferPointer { needle in
            as_contains(
                start.assumingMemoryBound(to: UInt8.self), count, needle.baseAddress, needle.count, rarestByte,
                caseInsensitive ? 1 : 0) != 0
        }
    }

    /// Fetches into `scratch` up to `capacity` hits with their lines, from where the scratch's cursor
    /// stands; a hit of an atom `decisive` marks decides its line.
    ///
    /// Returns how many were fetched.
    @inline(__always)
    func nextLineHits(
        _ block: UnsafePointer<UInt8>, count: Int, scratch: HitScratch, decisive: UnsafePointer<UInt8>?, capacity: Int
    ) -> Int {
        as_next_line_hits(raw, block, count, scratch.cursor, decisive, scratch.lineHits, capacity)
    }

    /// The atoms that occur in `line`, into `scratch.lineAtoms`; the count (more than the buffer holds
    /// when the line has more occurrences, and then the buffer is partial).
    @inline(__always)
    func lineAtoms(_ line: UnsafeRawBufferPointer, scratch: HitScratch) -> Int {
        as_line_atoms(
            raw, line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count, scratch.lineAtoms,
            HitScratch.lineAtomCapacity)
    }
}

/// The scan state and hit buffer of one search (not shared).
final class HitScratch {
    /// Hits fetched at once, at most.
    static let capacity = 256
    /// Hits with their lines fetched at once, at most.
    static let lineCapacity = 64
    /// The most atom occurrences of one line (`as_line_atoms`) fetched at once.
    static let lineAtomCapacity = 64
    let cursor: UnsafeMutablePointer<as_cursor>
    let hits: UnsafeMutablePointer<as_hit>
    let lineHits: UnsafeMutablePointer<as_line_hit>
    let lineAtoms: UnsafeMutablePointer<UInt32>

    init() {
        cursor = .allocate(capacity: 1)
        cursor.initialize(to: as_cursor())
        hits = .allocate(capacity: Self.capacity)
        hits.initialize(repeating: as_hit(), count: Self.capacity)
        lineHits = .allocate(capacity: Self.lineCapacity)
        lineHits.initialize(repeating: as_line_hit(), count: Self.lineCapacity)
        lineAtoms = .allocate(capacity: Self.lineAtomCapacity)
        lineAtoms.initialize(repeating: 0, count: Self.lineAtomCapacity)
    }

    deinit {
        cursor.deallocate()
        hits.deallocate()
        lineHits.deallocate()
        lineAtoms.deallocate()
    }

    /// Puts the cursor back at the start of a block.
    @inline(__always)
    func resetCursor() { as_cursor_reset(cursor) }

    /// Moves the cursor past `offset` (the rest of a line already decided).
    @inline(__always)
    func skip(to offset: Int) { as_skip_to(cursor, offset) }

    /// The `index`-th hit fetched by `AtomFilter.nextLineHits`: its line and atom, and whether the atom
    /// decides the line.
    @inline(__always)
    func lineHit(_ index: Int) -> (start: Int, end: Int, atom: Int, decided: Bool) {
        let hit = lineHits[index]
        return (Int(hit.line_start), Int(hit.line_end), Int(hit.atom), hit.decided != 0)
    }

    /// The `index`-th atom found by `AtomFilter.lineAtoms`.
    @inline(__always)
    func lineAtom(_ index: Int) -> Int { Int(lineAtoms[index]) }
}
