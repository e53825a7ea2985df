import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writing a report (or a note of the spool's) to a file so that a reader never sees half of it, and
/// so that what the path is stays what it is.
public enum ReportFile {
    /// A file that could not be written: its path and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        /// The file or folder that could not be written or made.
        public var path: String
        /// Why, as the system says it (`strerror`).
        public var reason: String
        /// The `errno` value.
        public var code: Int32

        init(_ path: String, errno code: Int32) {
            self.path = path
            self.code = code
            self.reason = String(cString: strerror(code))
        }

        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }
    }

    /// Writes `text` to `path`, replacing what it held.
    ///
    /// A new file or a regular file is written atomically: a temporary file beside it, renamed into place, so that a
    /// reader never sees half a report (an existing file keeps its permissions). Anything else is written in place, as
    /// `sort -o` does, so that it stays what it is: a symbolic link is followed (its target is truncated, or created
    /// when missing), a FIFO, a device (`/dev/null`) or a socket is opened and written to.
    /// - Throws: `WriteError` naming the path and the reason.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw WriteError(path, errno: errno) }
            try writeAtomically(text, to: path, mode: nil, temporaryName: nil)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: try writeAtomically(text, to: path, mode: info.st_mode & 0o7777, temporaryName: nil)
        case S_IFDIR: throw WriteError(path, errno: EISDIR)
        default: try writeInPlace(text, to: path, isLink: info.st_mode & S_IFMT == S_IFLNK)
        }
    }

    /// Makes the folder `path` and its missing parents; nothing when it is already a folder.
    /// - Throws: `WriteError` naming the path and the reason.
    public static func createFolder(_ path: String) throws(WriteError) {
        if mkdir(path, 0o777) == 0 { return }
        let code = errno
        var info = stat()
        switch code {
        case EEXIST:
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw WriteError(path, errno: ENOTDIR)
            }
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { throw WriteError(path, errno: code) }
            try createFolder(parent)
            guard
                mkdir(path, 0o777) == 0
                    || (errno == EEXIST && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR)
            else { throw WriteError(path, errno: errno) }
        default:
            throw WriteError(path, errno: code)
        }
    }

    /// Writes a temporary file beside `path`, flushes it and renames it over `path`: a crash leaves the old
    /// content or the new, and at most the temporary file.
    ///
    /// `mode` is the permissions to keep, if any; `temporaryName` names the temporary file (the
    /// spool's have a prefix its recovery removes).
    static func writeAtomically(_ text: String, to path: String, mode: mode_t?, temporaryName: String?)
        throws(WriteError)
    {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<16 where descriptor < 0 {
            let unique = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = (folder.isEmpty ? "" : folder + "/") + (temporaryName ?? ".\(name).\(unique).tmp")
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor < 0 && (errno != EEXIST || temporaryName != nil) { throw WriteError(path, errno: errno) }
        }
        guard descriptor >= 0 else { throw WriteError(path, errno: EEXIST) }
        do throws(WriteError) {
            if let mode, fchmod(descriptor, mode) != 0 { throw WriteError(path, errno: errno) }
            try writeAll(text, to: descriptor, path: path)
            // EINVAL: a file system without fsync.
            if fsync(descriptor) != 0, errno != EINVAL { throw WriteError(path, errno: errno) }
            guard close(descriptor) == 0 else {
                descriptor = -1
                throw WriteError(path, errno: errno)
            }
            descriptor = -1
            guard rename(temporary, path) == 0 else { throw WriteError(path, errno: errno) }
        } catch {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
            throw error
        }
    }

    /// Opens `path` (following a link) and writes `text` over what it held.
    private static func writeInPlace(_ text: String, to path: String, isLink: Bool) throws(WriteError) {
        var flags = O_WRONLY | O_CLOEXEC
        if isLink {
            // Only a regular target (or a missing one, then created) is truncated; a FIFO or a device is just written.
            var target = stat()
            if stat(path, &target) != 0 {
                guard errno == ENOENT else { throw WriteError(path, errno: errno) }
                flags |= O_CREAT
            } else if target.st_mode & S_IFMT == S_IFREG {
                flags |= O_TRUNC
            }
        }
        let descriptor = open(path, flags, 0o666)
        guard descriptor >= 0 else { throw WriteError(path, errno: errno) }
        do throws(WriteError) {
            try writeAll(text, to: descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw WriteError(path, errno: errno) }
    }

    /// Writes all of `text` to `descriptor`, however many calls it takes.
    private static func writeAll(_ text: String, to descriptor: Int32, path: String) throws(WriteError) {
        let bytes = Array(text.utf8)
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return nil
        }
        if let failure { throw WriteError(path, errno: failure) }
    }
}
