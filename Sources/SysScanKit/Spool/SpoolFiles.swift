import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file operation of the spool that failed: what was done, on which path, and the system's reason.
public struct SpoolFileError: Error, CustomStringConvertible, Sendable {
    /// What was being done (`rename`, `mkdir`, `write`, …).
    public var operation: String
    /// The path concerned.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// `rename processing/x → done/x: Permission denied`.
    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// The spool's file operations: each returns or throws (never loops without an end), retries errors that
/// may pass a bounded number of times, and names that would exceed the file-system limit are shortened
/// with a hash of the whole name instead of failing.
enum SpoolFiles {
    /// The longest file name, in bytes, that Linux file systems take.
    static let maxNameBytes = 255
    /// How often an operation that may pass (EINTR, EAGAIN, EBUSY, EIO) is tried.
    static let attempts = 3
    /// How many `NAME-2`, `NAME-3`, … are tried before filing gives up.
    static let maxSuffix = 1000
    /// Temporary files of the spool start with this; a restart removes those left by a killed process.
    static let temporaryPrefix = ".sysscan-tmp-"

    /// Runs `body` (0 on success, else `errno` set) with a bounded retry of errors that may pass.
    static func retrying(_ operation: String, _ path: String, _ body: () -> Int32) throws(SpoolFileError) {
        var attempt = 0
        while true {
            if body() == 0 { return }
            let code = errno
            attempt += 1
            let mayPass = code == EINTR || code == EAGAIN || code == EBUSY || code == EIO
            if !mayPass || attempt >= attempts { throw SpoolFileError(operation: operation, path: path, code: code) }
            usleep(useconds_t(100_000 * attempt))
        }
    }

    /// Renames `source` to `target` (atomic within one file system).
    static func rename(_ source: String, to target: String) throws(SpoolFileError) {
        try retrying("rename \(source) →", target) { Glibc.rename(source, target) }
    }

    /// Creates the folder `path`.
    static func makeFolder(_ path: String) throws(SpoolFileError) {
        try retrying("mkdir", path) { mkdir(path, 0o755) }
    }

    /// Moves `source` into `folder` under `name`, or `name-2`, `name-3`, … when taken (each shortened to fit
    /// the name limit); returns the path it got.
    ///
    /// A rename never replaces anything but an empty folder.
    @discardableResult
    static func moveUnique(_ source: String, into folder: String, name: String) throws(SpoolFileError) -> String {
        var suffix = 1
        while true {
            let candidate = fitting(name, suffix: suffix == 1 ? "" : "-\(suffix)")
            let target = (folder as NSString).appendingPathComponent(candidate)
            if !exists(target) {
                do {
                    try rename(source, to: target)
                    return target
                } catch  where error.code == EEXIST || error.code == ENOTEMPTY {
                    // Taken meanwhile: try the next name.
                }
            }
            suffix += 1
            if suffix > maxSuffix {
                throw SpoolFileError(operation: "no free name for \(name) in", path: folder, code: EEXIST)
            }
        }
    }

    /// `name + suffix`, shortened to fit the name limit by cutting `name` and adding a hash of the whole
    /// name, so that two long names stay apart: `very-long…~1a2b3c4d5e-2`.
    static func fitting(_ name: String, suffix: String = "") -> String {
        let full = name + suffix
        if full.utf8.count <= maxNameBytes { return full }
        let tag = "~" + String(fnv1a(name), radix: 16)
        var stem = Substring(name)
        while !stem.isEmpty, stem.utf8.count + tag.utf8.count + suffix.utf8.count > maxNameBytes {
            stem = stem.dropLast()
        }
        return String(stem) + tag + suffix
    }

    /// FNV-1a, 64 bits: a short, stable tag for a name (not a security hash).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// Writes `text` to `folder/name` atomically: a temporary file in the same folder, flushed, then
    /// renamed over the name.
    ///
    /// A crash leaves the old content or the new, and at most a temporary file.
    static func write(_ text: String, to folder: String, name: String) throws(SpoolFileError) {
        let target = (folder as NSString).appendingPathComponent(name)
        do {
            try ReportFile.writeAtomically(
                text, to: target, mode: nil, temporaryName: temporaryPrefix + UUID().uuidString)
        } catch {
            throw SpoolFileError(operation: "write", path: error.path, code: error.code)
        }
    }

    /// Whether anything (a link included) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a folder (not following a link).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in `folder`, or the error that keeps it from being read.
    static func names(in folder: String) throws(SpoolFileError) -> [String] {
        guard let directory = opendir(folder) else {
            throw SpoolFileError(operation: "read folder", path: folder, code: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// When `path` last changed: the later of its modification and status-change times (a copy that sets
    /// an old modification time still changes the status time), for a folder the latest of everything in
    /// it.
    ///
    /// Nil when it vanished.
    static func lastChange(_ path: String, depth: Int = 0) -> TimeInterval? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var latest = max(seconds(info.st_mtim), seconds(info.st_ctim))
        if (info.st_mode & S_IFMT) == S_IFDIR, depth < 64, let names = try? names(in: path) {
            for name in names {
                if let inner = lastChange((path as NSString).appendingPathComponent(name), depth: depth + 1) {
                    latest = max(latest, inner)
                }
            }
        }
        return latest
    }

    /// The size of a file, or of every file below a folder.
    static func size(_ path: String, depth: Int = 0) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        if (info.st_mode & S_IFMT) == S_IFDIR, depth < 64, let names = try? names(in: path) {
            return names.reduce(0) { $0 + size((path as NSString).appendingPathComponent($1), depth: depth + 1) }
        }
        return (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
    }

    private static func seconds(_ time: timespec) -> TimeInterval {
        TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9
    }

    /// The current time on the same clock as file times.
    static func now() -> TimeInterval {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return seconds(time)
    }
}
