import CAtomScan
import Foundation
import PropertyBased
import Testing

@testable import StreamMatch

/// The literal prefilter alone against a naive search: every occurrence of every atom, found by the
/// sampled filter or by Teddy (vector and scalar loops), whichever windows the atoms index.
struct AtomFilterTests {
    static let letters = Array("abcdeEfgilnorstuxAZ:_ -0189".utf8)
    static let atomGen = Gen.int(in: 0...(letters.count - 1)).map { letters[$0] }.array(of: 4...14)
    static let atomsGen = zip(atomGen, Gen.bool(0.25)).map { (bytes: [UInt8], folded: Bool) in
        AtomFilter.Atom(
            bytes: folded ? bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } : bytes, caseInsensitive: folded)
    }.array(of: 1...40)
    /// Text made of atoms' pieces, other letters and line ends, so that atoms occur, overlap and
    /// nearly occur.
    static let textGen = Gen.int(in: 0...(letters.count + 2)).map { index -> UInt8 in
        index < letters.count ? letters[index] : (index == letters.count ? 0x0A : 0x0D)
    }.array(of: 0...600)

    /// Every (atom, start) where the atom occurs in `text`.
    static func naive(_ atoms: [AtomFilter.Atom], _ text: [UInt8]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (index, atom) in atoms.enumerated() where atom.bytes.count <= text.count {
            for start in 0...(text.count - atom.bytes.count) {
                let slice = text[start..<(start + atom.bytes.count)]
                let folded =
                    atom.caseInsensitive ? slice.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } : Array(slice)
                if folded == atom.bytes { found.insert([index, start]) }
            }
        }
        return found
    }

    /// Every hit of `filter` in `text`, fetched `batch` at a time (so that the scan resumes between
    /// fetches), with whether they came line by line.
    static func hits(_ filter: AtomFilter, _ text: [UInt8], batch: Int) -> (found: Set<[Int]>, inOrder: Bool) {
        var found = Set<[Int]>()
        var inOrder = true
        var lastLine = -1
        let scratch = HitScratch()
        text.withUnsafeBufferPointer { bytes in
            as_cursor_reset(scratch.cursor)
            while case let count = as_next_hits(
                filter.raw, bytes.baseAddress, bytes.count, scratch.cursor, scratch.hits, batch), count > 0
            {
                for index in 0..<count {
                    let (atom, start) = (Int(scratch.hits[index].atom), scratch.hits[index].start)
                    found.insert([atom, start])
                    let line = text[..<start].filter { $0 == 0x0A }.count
                    if line < lastLine { inOrder = false }
                    lastLine = line
                }
            }
        }
        return (found, inOrder)
    }

    @Test func everyOccurrenceIsFoundOnceLineByLine() async {
        await propertyCheck(count: 300, input: Self.atomsGen, Self.textGen, Gen.int(in: 1...HitScratch.capacity)) {
            (atoms: [AtomFilter.Atom], body: [UInt8], batch: Int) in
            // Plant some atoms so that hits are common.
            var text = body
            for (index, atom) in atoms.enumerated() where index % 3 == 0 {
                text.insert(contentsOf: atom.bytes, at: min(text.count, (index * 37) % (text.count + 1)))
            }
            let expected = Self.naive(atoms, text)
            let histogram = text.withUnsafeBytes { WindowHistogram($0) }
            for filter in [
                AtomFilter(atoms: atoms), AtomFilter(atoms: atoms, vectorized: false),
                AtomFilter(atoms: atoms, histogram: histogram),
            ] {
                let result = Self.hits(filter, text, batch: batch)
                #expect(
                    result.found == expected,
                    "atoms \(atoms.map { String(decoding: $0.bytes, as: UTF8.self) }) stride \(filter.stride) short \(filter.shortAtoms)"
                )
                #expect(result.inOrder, "hits must come line by line")
            }
        }
    }

    @Test func aLiteralIsFoundInALineWhereverItIs() async {
        let lineGen = Gen.int(in: 0...(Self.letters.count - 1)).map { Self.letters[$0] }.array(of: 0...200)
        await propertyCheck(count: 500, input: lineGen, Gen.int(in: 0...400), Gen.int(in: 1...9), Gen.bool(0.3)) {
            (line: [UInt8], from: Int, length: Int, folded: Bool) in
            // Needles taken from the line (present) or made up (mostly absent).
            var needle =
                line.count >= length
                ? Array(line[(from % (line.count - length + 1))...].prefix(length)) : Array("xAZ:".utf8)
            if from % 3 == 0 { needle[needle.count - 1] = Self.letters[from % Self.letters.count] }
            if folded { needle = needle.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
            let comparable = folded ? line.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } : line
            let expected =
                comparable.count >= needle.count
                && (0...(comparable.count - needle.count)).contains {
                    Array(comparable[$0..<($0 + needle.count)]) == needle
                }
            let found = line.withUnsafeBufferPointer { haystack in
                needle.withUnsafeBufferPointer { literal in
                    as_contains(
                        haystack.baseAddress, haystack.count, literal.baseAddress, literal.count, from % literal.count,
                        folded ? 1 : 0) != 0
                }
            }
            #expect(
                found == expected,
                "needle \(String(decoding: needle, as: UTF8.self)) in \(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test func hitsComeWithTheirLinesAndADecisiveHitEndsItsLine() {
        let atoms = ["fail", "error", "timeout after"].map {
            AtomFilter.Atom(bytes: Array($0.utf8), caseInsensitive: false)
        }
        let text = Array("fail error fail\nerror timeout after fail\nnothing\nfail".utf8)
        let decisive: [UInt8] = [1, 0, 0]  // "fail" alone is a match
        for filter in [AtomFilter(atoms: atoms), AtomFilter(atoms: atoms, vectorized: false)] {
            for skipAfterError in [false, true] {
                var seen: [[Int]] = []
                let scratch = HitScratch()
                text.withUnsafeBufferPointer { bytes in
                    as_cursor_reset(scratch.cursor)
                    while as_next_line_hits(
                        filter.raw, bytes.baseAddress, bytes.count, scratch.cursor, decisive, scratch.lineHits, 1) == 1
                    {
                        let hit = scratch.lineHits[0]
                        seen.append([Int(hit.atom), hit.start, hit.line_start, hit.line_end, Int(hit.decided)])
                        // What a confirmed candidate does: skip the rest of its line.
                        if skipAfterError, hit.atom == 1 { as_skip_to(scratch.cursor, hit.line_end + 1) }
                    }
                }
                let secondLine =
                    skipAfterError
                    ? [[1, 16, 16, 40, 0]] : [[1, 16, 16, 40, 0], [2, 22, 16, 40, 0], [0, 36, 16, 40, 1]]
                #expect(
                    seen == [[0, 0, 0, 15, 1]] + secondLine + [[0, 49, 49, 53, 1]],
                    "skip after error: \(skipAfterError)")
            }
        }
    }

    @Test func teddyRunsItsVectorLoopWhereTheCPUHasAVX2() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let atoms = ["fail", "lost", "error: disk quota exceeded"].map {
            AtomFilter.Atom(bytes: Array($0.utf8), caseInsensitive: false)
        }
        let filter = AtomFilter(atoms: atoms)
        #expect(!filter.shortAtoms.isEmpty)
        #expect(
            filter.isVectorized == cpuinfo.contains(" avx2"),
            "the property tests cover the vector loop only where it runs")
        #expect(!AtomFilter(atoms: atoms, vectorized: false).isVectorized)
    }

    @Test func shortAtomsGoToTeddyWhenTheyWouldForceASmallStride() {
        let split = AtomFilter.split(lengths: [4, 4, 20, 24, 30, 18, 22])
        #expect(split.short.sorted() == [0, 1])
        #expect(split.stride == 15)
        // All long: no Teddy.
        #expect(AtomFilter.split(lengths: [12, 16, 20]).short.isEmpty)
        #expect(AtomFilter.split(lengths: [12, 16, 20]).stride == 9)
    }
}
