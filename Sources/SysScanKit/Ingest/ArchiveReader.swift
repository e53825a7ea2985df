import CArchive
import Foundation

/// An archive read by libarchive as a stream: any format and filter it knows, from a file or from the
/// bytes of an entry of another archive (nested archives are read in place, never extracted).
///
/// Not thread-safe; one per archive, used by one scan.
final class ArchiveReader {
    /// An entry's header.
    struct Entry {
        /// The entry's name as stored in the archive.
        var path: String
        /// Whether it is a regular file (not a folder, link or device).
        var isRegularFile: Bool
        /// Whether its data is encrypted.
        var isEncrypted: Bool
        /// Its size as the header states it, when stated.
        var size: Int64?
    }

    /// What `nextEntry()` found.
    enum HeaderResult {
        /// The next entry.
        case entry(Entry, warning: String?)
        /// The archive ended cleanly.
        case end
        /// This header is broken; the next one may still be read.
        case failed(String)
        /// The archive cannot be read any further.
        case fatal(String)
    }

    /// What `read(into:)` found.
    enum DataResult {
        /// Bytes were read.
        case data(Int)
        /// The entry ended.
        case end
        /// This entry's data is damaged; the archive may go on.
        case failed(String)
        /// The archive cannot be read any further.
        case fatal(String)
    }

    /// Supplies the bytes of a nested archive, one block at a time.
    final class Source {
        fileprivate let next: () -> UnsafeRawBufferPointer?

        /// Creates a source.
        ///
        /// - Parameter next: Returns the next bytes (valid until the next call), or nil at the end or on
        ///   an error, which the caller records.
        init(next: @escaping () -> UnsafeRawBufferPointer?) {
            self.next = next
        }
    }

    private let archive: OpaquePointer
    private let source: Source?
    private var opened = false
    /// The thread that inflates a gzip file ahead of this reader, when there is one.
    private var inflater: GzipInflater?
    /// The current entry's block from libarchive that `read(into:)` has not handed out yet, and where in
    /// the entry it starts.
    private var block = UnsafeRawBufferPointer(start: nil, count: 0)
    private var blockOffset: Int64 = 0
    /// How many bytes of the current entry `read(into:)` handed out (holes of a sparse entry included).
    private var entryOffset: Int64 = 0
    /// What libarchive found wrong with the current entry's data so far (a bad CRC, a wrong size),
    /// reported once its data has been handed out.
    private var entryDamage: String?

    /// Opens the archive at `path`, whose first bytes `verdict` describes; a gzip file is inflated on a
    /// thread of its own (ISA-L), ahead of the reader, so that decompression and matching run on two cores.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - verdict: What its first bytes are (`ContentSniffer`).
    /// - Returns: The reader.
    /// - Throws: `ArchiveReaderError` with libarchive's message.
    static func open(path: String, verdict: ContentSniffer.Verdict) throws(ArchiveReaderError) -> ArchiveReader {
        let allowRaw = verdict.isCompressedOnly
        guard verdict == .compressed("gzip") else { return try ArchiveReader(path: path, allowRaw: allowRaw) }
        let inflater = GzipInflater(path: path)
        do {
            let reader = try ArchiveReader(
                source: Source(next: { inflater.next() }), allowRaw: allowRaw, inflater: inflater)
            return reader
        } catch {
            inflater.stop()
            throw error
        }
    }

    /// Opens the archive at `path`.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - allowRaw: Whether a compressed file that holds no archive is read as one entry.
    ///   - blockSize: The read size.
    /// - Throws: `ArchiveReaderError` with libarchive's message.
    init(path: String, allowRaw: Bool, blockSize: Int = 64 * 1024) throws(ArchiveReaderError) {
        guard let archive = archive_read_new() else { throw .cannotOpen("libarchive could not allocate a reader") }
        self.archive = archive
        self.source = nil
        Self.configure(archive, allowRaw: allowRaw)
        guard archive_read_open_filename(archive, path, blockSize) == ARCHIVE_OK else {
            throw .cannotOpen(errorString(fallback: "cannot open"))
        }
        opened = true
    }

    /// Opens an archive whose bytes come from `source` (an entry of another archive or a file stream).
    ///
    /// - Parameters:
    ///   - source: Where the bytes come from.
    ///   - allowRaw: Whether a compressed stream that holds no archive is read as one entry.
    /// - Throws: `ArchiveReaderError` with libarchive's message.
    init(source: Source, allowRaw: Bool, inflater: GzipInflater? = nil) throws(ArchiveReaderError) {
        guard let archive = archive_read_new() else { throw .cannotOpen("libarchive could not allocate a reader") }
        self.archive = archive
        self.source = source
        self.inflater = inflater
        Self.configure(archive, allowRaw: allowRaw)
        let context = Unmanaged.passUnretained(source).toOpaque()
        let status = archive_read_open(
            archive, context, nil,
            { _, context, buffer in
                guard let context, let buffer else { return -1 }
                let source = Unmanaged<ArchiveReader.Source>.fromOpaque(context).takeUnretainedValue()
                guard let chunk = source.next() else { return 0 }
                buffer.pointee = chunk.baseAddress
                return chunk.count
            }, nil)
        guard status == ARCHIVE_OK else { throw .cannotOpen(errorString(fallback: "cannot open")) }
        opened = true
    }

    deinit {
        if opened { archive_read_close(archive) }
        archive_read_free(archive)
        inflater?.stop()
    }

    /// The archive's format and filters as libarchive names them (`GNU tar format, gzip`), once a header was read.
    var formatDescription: String {
        let format = archive_format_name(archive).map { String(cString: $0) } ?? "unknown format"
        var filters: [String] = []
        let count = archive_filter_count(archive)
        if count > 1 {
            for index in 0..<(count - 1) {
                if let name = archive_filter_name(archive, index) { filters.append(String(cString: name)) }
            }
        }
        if inflater != nil { filters.append("gzip") }
        return ([format] + filters).joined(separator: ", ")
    }

    /// Why the gzip data inflated ahead of this reader ended early, if it did.
    var decompressionFailure: String? { inflater?.failure }

    /// Whether the archive was read as one raw compressed file rather than as an archive format.
    var isRaw: Bool { archive_format(archive) == ARCHIVE_FORMAT_RAW }

    /// The compressed bytes libarchive has taken in so far (from the file or from the source).
    var compressedBytesRead: Int64 { archive_filter_bytes(archive, -1) }

    /// Whether the whole archive is one compressed stream (a tar.gz, not a zip): skipping an entry's data
    /// then costs decompressing it.
    var isStreamCompressed: Bool { isDecompressing }

    /// Whether a decompression filter is in use (false when a compressed stream could not be decoded).
    var isDecompressing: Bool { inflater != nil || archive_filter_count(archive) > 1 }

    /// Reads the next entry's header.
    func nextEntry() -> HeaderResult {
        block = UnsafeRawBufferPointer(start: nil, count: 0)
        blockOffset = 0
        entryOffset = 0
        entryDamage = nil
        var entry: OpaquePointer?
        var status = archive_read_next_header(archive, &entry)
        var retries = 0
        var skippedDamage: String?
        while status == ARCHIVE_RETRY, retries < 4096 {
            skippedDamage = skippedDamage ?? errorString(fallback: "damaged header")
            status = archive_read_next_header(archive, &entry)
            retries += 1
        }
        if status == ARCHIVE_EOF { return .end }
        if status == ARCHIVE_FATAL || status == ARCHIVE_RETRY {
            return .fatal(errorString(fallback: "unreadable header"))
        }
        if status == ARCHIVE_FAILED { return .failed(errorString(fallback: "unreadable header")) }
        guard let entry else { return .fatal("no entry header") }
        let path =
            archive_entry_pathname_utf8(entry).map { String(cString: $0) }
            ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? "<unnamed>"
        let fileType = archive_entry_filetype(entry)
        let isRegular = fileType == 0 || fileType == 0o100000  // AE_IFREG, a cast macro Swift does not import
        let encrypted = archive_entry_is_data_encrypted(entry) != 0 || archive_entry_is_encrypted(entry) != 0
        let size: Int64? = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        var warning = status == ARCHIVE_WARN ? errorString(fallback: "warning") : nil
        if let skippedDamage { warning = "damaged archive data before this entry was skipped (\(skippedDamage))" }
        return .entry(Entry(path: path, isRegularFile: isRegular, isEncrypted: encrypted, size: size), warning: warning)
    }

    /// Reads the current entry's next bytes into `buffer`.
    ///
    /// Reads libarchive's blocks as they come, so that a block that arrives with a warning (a zip entry's
    /// bad CRC or wrong size, found at the end of its data) is handed out like any other; the warning is
    /// `.failed` once the entry's data is exhausted, and what was read before it counts.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> DataResult {
        guard let target = buffer.baseAddress, buffer.count > 0 else { return .data(0) }
        while true {
            if blockOffset > entryOffset {
                // A hole of a sparse entry reads as zeros, as `archive_read_data` gives it.
                let count = Int(min(Int64(buffer.count), blockOffset - entryOffset))
                target.initializeMemory(as: UInt8.self, repeating: 0, count: count)
                entryOffset += Int64(count)
                return .data(count)
            }
            if let start = block.baseAddress, !block.isEmpty {
                let count = min(buffer.count, block.count)
                target.copyMemory(from: start, byteCount: count)
                block = UnsafeRawBufferPointer(rebasing: block[count...])
                blockOffset += Int64(count)
                entryOffset += Int64(count)
                return .data(count)
            }
            var pointer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &pointer, &size, &offset)
            if status == ARCHIVE_EOF {
                if let damage = entryDamage {
                    entryDamage = nil
                    return .failed(damage)
                }
                return .end
            }
            if status == ARCHIVE_FATAL { return .fatal(errorString(fallback: "unreadable data")) }
            if status == ARCHIVE_WARN {
                entryDamage = entryDamage ?? errorString(fallback: "damaged data").trimmingWhitespace()
            } else if status != ARCHIVE_OK, status != ARCHIVE_RETRY {
                return .failed(entryDamage ?? errorString(fallback: "unreadable data"))
            }
            block = UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : size)
            blockOffset = max(offset, entryOffset)
        }
    }

    private static func configure(_ archive: OpaquePointer, allowRaw: Bool) {
        archive_read_support_filter_all(archive)
        archive_read_support_format_all(archive)
        archive_read_support_format_empty(archive)
        if allowRaw { archive_read_support_format_raw(archive) }
    }

    private func errorString(fallback: String) -> String {
        let message = archive_error_string(archive).map { String(cString: $0) } ?? fallback
        // The inflating thread knows why the data ended before libarchive expected.
        if let failure = inflater?.failure { return "\(failure) (\(message))" }
        return message
    }
}

/// Why libarchive could not open an archive.
enum ArchiveReaderError: Error, CustomStringConvertible {
    /// libarchive's message.
    case cannotOpen(String)

    var description: String {
        switch self {
        case let .cannotOpen(message): message
        }
    }
}

extension ArchiveReader {
    /// The version of the libarchive in use, as it reports it at run time (`3.6.2`).
    static var libraryVersion: String {
        guard let text = archive_version_string() else { return "unknown" }
        let version = String(cString: text)
        return version.hasPrefix("libarchive ") ? String(version.dropFirst("libarchive ".count)) : version
    }
}
