import Crypto

#if canImport(Glibc)
    import Glibc
#endif

/// The SHA-256 by which the spool recognises an upload it has already scanned.
///
/// The hashing itself is swift-crypto's; this type only decides which bytes are hashed, and that must never change,
/// or the digests stored in a scan history would stop matching new uploads of the same bytes:
/// - a file (or anything that is not a folder): its bytes, so the digest equals `sha256sum`'s;
/// - a folder: every file `FolderListing` finds below it, in path order, each preceded by its path with the folder's
///   path cut off (`/logs/catalina.out` for `upload/logs/catalina.out`), as UTF-8 bytes.
enum UploadDigest {
    /// How many bytes are read from a file at a time.
    static let readSize = 1 << 20

    /// The lower-case hex SHA-256 of the upload at `path`; nil when it or a file below it cannot be read.
    static func sha256(path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let files = (info.st_mode & S_IFMT) == S_IFDIR ? FolderListing.files(below: path) : [path]
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { buffer.deallocate() }
        for file in files {
            if files.count > 1 || file != path {
                Array(file.dropFirst(path.count).utf8).withUnsafeBytes { hasher.update(bufferPointer: $0) }
            }
            guard hash(file, into: &hasher, buffer: buffer) else { return nil }
        }
        return hex(hasher.finalize())
    }

    /// Feeds the bytes of `file` to `hasher`; false when it cannot be opened or read.
    private static func hash(_ file: String, into hasher: inout SHA256, buffer: UnsafeMutableRawBufferPointer) -> Bool {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            if count == 0 { return true }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hex(_ digest: SHA256.Digest) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(2 * SHA256.Digest.byteCount)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
