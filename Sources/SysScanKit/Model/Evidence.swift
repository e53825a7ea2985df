/// A place in an upload that proves a finding: an artifact, a line number and the line.
public struct Evidence: Sendable, Hashable, Codable {
    /// The artifact's full name, upload included: `upload.tgz!/logs/ms.zip!/a.log`.
    public var artifact: String
    /// The artifact's path inside the upload: `logs/ms.zip!/a.log`.
    public var entry: String
    /// The cited line's number, from 1; nil when the evidence is not a line (a key absent, say).
    public var line: Int?
    /// The cited line, cut to a readable length, or a description when `line` is nil.
    public var text: String
    /// The line's timestamp in ISO 8601, when it carries one.
    public var timestamp: String?
    /// Lines around the cited one (never cited themselves), in order.
    public var context: [ContextLine] = []
    /// How many more times the same line text occurred in the artifact (identical lines are cited once).
    public var repeats = 0
    /// The line number of the last identical occurrence, when `repeats` > 0.
    public var lastLine: Int?

    /// A line shown around a cited line.
    public struct ContextLine: Sendable, Hashable, Codable {
        /// The line's number, from 1.
        public var line: Int
        /// The line, cut to a readable length.
        public var text: String
    }

    /// Creates evidence.
    ///
    /// - Parameters:
    ///   - artifact: The artifact's full name.
    ///   - entry: The artifact's path inside the upload.
    ///   - line: The line number, from 1, if any.
    ///   - text: The line or a description.
    ///   - timestamp: The line's timestamp, if any.
    public init(artifact: String, entry: String, line: Int?, text: String, timestamp: String? = nil) {
        self.artifact = artifact
        self.entry = entry
        self.line = line
        self.text = text
        self.timestamp = timestamp
    }
}
