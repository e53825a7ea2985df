/// Splits a block of bytes into lines.
enum LineIterator {
    /// Calls `body` with the content range of each line of `block`: `\n` ends a line and a `\r` just
    /// before it is not part of the content.
    ///
    /// A last line without `\n` is included when not empty.
    ///
    /// - Parameters:
    ///   - block: The bytes.
    ///   - body: Gets the start and end offsets of a line's content; returns false to stop.
    @inline(__always)
    static func forEachLine(in block: UnsafeRawBufferPointer, _ body: (Int, Int) -> Bool) {
        guard let base = block.baseAddress else { return }
        let count = block.count
        var start = 0
        while start < count {
            let newline = ByteSearch.index(of: 0x0A, in: base + start, count: count - start).map { $0 + start }
            let next = newline.map { $0 + 1 } ?? count
            var end = newline ?? count
            if end > start, base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D { end -= 1 }
            if !body(start, end) { return }
            start = next
        }
    }
}
