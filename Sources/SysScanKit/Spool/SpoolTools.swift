/// Helpers the command line needs from the spool's machinery.
public enum SpoolTools {
    /// The SHA-256 (hex) of a file, or of every file of a folder in path order; nil when unreadable.
    public static func sha256(_ path: String) -> String? { UploadDigest.sha256(path: path) }
}
