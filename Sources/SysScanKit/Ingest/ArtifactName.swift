/// The names of an artifact: its full name for people and its path inside the upload for globs.
public struct ArtifactName: Sendable, Hashable {
    /// The full name, upload included: `upload.tgz!/logs/ms.zip!/a.log`.
    public var display: String
    /// The path inside the upload: `logs/ms.zip!/a.log`.
    public var entry: String
    /// How many archives inside the upload hold it (0 for a top-level entry or file).
    public var nesting: Int

    /// Creates a name.
    ///
    /// - Parameters:
    ///   - display: The full name.
    ///   - entry: The path inside the upload.
    ///   - nesting: How many archives inside the upload hold it.
    public init(display: String, entry: String, nesting: Int) {
        self.display = display
        self.entry = entry
        self.nesting = nesting
    }
}
