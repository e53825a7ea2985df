#if canImport(Glibc)
    import Glibc
#endif

/// Why a file could not be read as text, in the system's words (`strerror`): "No such file or directory",
/// "Permission denied", "Is a directory"; Foundation's own messages name no cause.
public enum ReadFailure {
    /// The reason a read of the file at `path` as UTF-8 text failed, found by opening it again.
    ///
    /// - Parameter path: The file that could not be read.
    /// - Returns: The system's reason, or "not UTF-8 text" when the file opens and is a regular file.
    public static func reason(path: String) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return String(cString: strerror(EISDIR)) }
        return "not UTF-8 text"
    }
}
