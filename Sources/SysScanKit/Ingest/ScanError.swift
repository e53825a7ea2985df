/// Why an upload cannot be scanned at all (damage inside a usable upload is a `ScanWarning` instead).
public enum ScanError: Error, CustomStringConvertible, Equatable {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is empty.
    case empty(path: String)
    /// The file's name says it is an archive (`.zip`, `.tar.gz`, ...) but its content is no archive or
    /// compression format libarchive reads.
    case notAnArchive(path: String, detail: String)
    /// The archive is damaged before its first entry.
    case unreadableArchive(path: String, reason: String)
    /// The scan took longer than its time budget (`ScanOptions.maxSeconds`) and was stopped.
    case timedOut(path: String, seconds: Double)

    /// A message that names the upload and what is wrong.
    public var description: String {
        switch self {
        case let .notFound(path): "\(path): no such file or folder"
        case let .unreadable(path, reason): "\(path): cannot read the upload: \(reason)"
        case let .empty(path): "\(path): the upload is empty (0 bytes)"
        case let .notAnArchive(path, detail):
            "\(path): not an archive: \(detail) (expected a folder or an archive such as tar, tar.gz, zip, 7z, cpio)"
        case let .unreadableArchive(path, reason): "\(path): the archive cannot be read: \(reason)"
        case let .timedOut(path, seconds):
            "\(path): the scan took longer than \(seconds.formatted()) seconds, its time budget, and was stopped"
        }
    }
}
