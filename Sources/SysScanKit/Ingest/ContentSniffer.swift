#if canImport(Glibc)
    import Glibc
#endif

/// Tells from an entry's first bytes whether it is an archive, a compressed stream, or text.
enum ContentSniffer {
    /// What the first bytes say.
    enum Verdict: Equatable {
        /// An archive format (tar, zip, 7z, cpio, rar, …), possibly compressed.
        case archive(String)
        /// A compression format alone (gzip, bzip2, xz, zstd, …); it may hold an archive or one file.
        case compressed(String)
        /// Anything else.
        case other

        /// Whether it is a compression format alone (a compressed file that may hold no archive).
        var isCompressedOnly: Bool {
            if case .compressed = self { return true }
            return false
        }
    }

    /// Classifies the file at `path` by its first bytes (read, not the whole file); `.other` when it
    /// cannot be read.
    static func sniff(fileAt path: String) -> Verdict {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .other }
        defer { close(descriptor) }
        var prefix = [UInt8](repeating: 0, count: prefixLength)
        let count = prefix.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, prefixLength) }
        return sniff(Array(prefix.prefix(max(0, count))))
    }

    /// The number of bytes `sniff` wants to see (a tar header's magic sits at offset 257).
    static let prefixLength = 512

    /// Classifies `prefix`, the first bytes of an entry.
    static func sniff(_ prefix: [UInt8]) -> Verdict {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            prefix.count >= offset + magic.count && Array(prefix[offset..<offset + magic.count]) == magic
        }
        if starts([0x1F, 0x8B]) { return .compressed("gzip") }
        if starts(Array("BZh".utf8)), prefix.count > 3, (0x31...0x39).contains(prefix[3]) {
            return .compressed("bzip2")
        }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .compressed("xz") }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .compressed("zstd") }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return .compressed("lz4") }
        if starts([0x1F, 0x9D]) { return .compressed("compress") }
        if starts(Array("PK".utf8)), prefix.count >= 4,
            (prefix[2] == 3 && prefix[3] == 4) || (prefix[2] == 5 && prefix[3] == 6)
                || (prefix[2] == 7 && prefix[3] == 8)
        {
            return .archive("zip")
        }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .archive("7z") }
        if starts(Array("Rar!\u{1A}\u{07}".utf8)) { return .archive("rar") }
        if starts(Array("ustar".utf8), at: 257) { return .archive("tar") }
        if starts(Array("07070".utf8)), prefix.count > 5, [0x31, 0x32, 0x37].contains(prefix[5]) {
            return .archive("cpio")
        }
        if starts([0xC7, 0x71]) || starts([0x71, 0xC7]) { return .archive("cpio") }
        if starts(Array("xar!".utf8)) { return .archive("xar") }
        if starts(Array("MSCF".utf8)) { return .archive("cab") }
        return .other
    }

    /// Whether `prefix` looks like binary data rather than text: a NUL in the first bytes, or more than
    /// one byte in ten a control character other than tab, line ends, form feed and escape.
    static func looksBinary(_ prefix: [UInt8]) -> Bool {
        guard !prefix.isEmpty else { return false }
        return prefix.withUnsafeBufferPointer { buffer in
            let sample = UnsafeBufferPointer(rebasing: buffer.prefix(8192))
            if let base = sample.baseAddress, memchr(base, 0, sample.count) != nil { return true }
            var control = 0
            for byte in sample where byte < 0x20 {
                // Tab, line feed, form feed, carriage return and escape are text.
                control &+= (0x0800_3600 as UInt32) >> UInt32(byte) & 1 == 0 ? 1 : 0
            }
            return control * 10 > sample.count
        }
    }

    /// Whether a file name is a Java archive (a zip that is a library, not an upload's container).
    static func isJavaArchive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".jar", ".war", ".ear", ".rar", ".sar", ".hpi", ".jmod"].contains { lower.hasSuffix($0) }
            && !lower.hasSuffix(".tar")
    }

    /// The extensions that say a file is an archive or a compressed file, whatever its content.
    static let archiveExtensions = [
        ".zip", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2", ".xz",
        ".zst", ".7z", ".cpio", ".rar",
    ]

    /// Whether a file name says the file is an archive or a compressed file (`upload.zip`, `logs.tar.gz`).
    static func hasArchiveExtension(_ name: String) -> Bool {
        let lower = name.lowercased()
        return archiveExtensions.contains { lower.hasSuffix($0) }
    }

    /// `name` without a compression extension (`catalina.log.gz` → `catalina.log`), for a compressed file.
    static func strippingCompressionExtension(_ name: String) -> String {
        for ext in [".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z", ".gzip", ".bzip2"] where name.hasSuffix(ext) {
            return String(name.dropLast(ext.count))
        }
        return name
    }
}
