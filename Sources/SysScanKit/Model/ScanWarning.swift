/// Something in an upload that could not be read as it should, reported while the scan goes on.
public struct ScanWarning: Sendable, Hashable, Codable {
    /// What went wrong, as a stable code scripts can test.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// An entry's data is damaged or could not be read; what was read before still counts.
        case damagedEntry = "damaged-entry"
        /// The archive ended early or broke off; entries after the break were not read.
        case truncatedArchive = "truncated-archive"
        /// An entry is encrypted; it was skipped.
        case encryptedEntry = "encrypted-entry"
        /// An archive is nested deeper than the limit; it was not opened.
        case nestingTooDeep = "nesting-too-deep"
        /// An entry's name leaves the upload (`../`, absolute); it was read in memory under the name given.
        case unsafeEntryName = "unsafe-entry-name"
        /// A file that should hold text looks binary; it was skipped.
        case binaryContent = "binary-content"
        /// A line was longer than the limit; only its first part was searched.
        case overlongLine = "overlong-line"
        /// A configuration file could not be parsed; its config rules were not evaluated.
        case unparsableConfig = "unparsable-config"
        /// A configuration file is larger than the parse limit; its config rules were not evaluated.
        case configTooLarge = "config-too-large"
        /// A file in a folder upload could not be read.
        case unreadableFile = "unreadable-file"
        /// Sidecar metadata could not be read.
        case badMetadata = "bad-metadata"
        /// The upload holds no artifact of a kind the knowledge base knows.
        case nothingRecognised = "nothing-recognised"
        /// A tuning entry was not applied (expired, or it names an unknown rule).
        case tuningNotApplied = "tuning-not-applied"
        /// A rule file of the knowledge base has errors; its rule was left out of the scan.
        case ruleFileSkipped = "rule-file-skipped"
        /// An httpd or sshd `Include` names a file the upload does not hold; its directives were not checked.
        case includeMissing = "include-missing"
        /// An entry or the upload expanded past its budget; the rest of it was not read.
        case expansionBudget = "expansion-budget"
        /// The upload holds more entries than its budget; the rest of it was not read.
        case entryBudget = "entry-budget"
        /// A rule's regex could not tell within its budget whether it matches some lines; those lines
        /// were not counted for the rule, the other rules were searched as usual.
        case patternBudget = "pattern-budget"
    }

    /// The stable code.
    public var code: Code
    /// The artifact or upload concerned (full name), if any.
    public var artifact: String?
    /// A lower-case sentence that says what is wrong.
    public var message: String

    /// Creates a warning.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - artifact: The artifact concerned, if any.
    ///   - message: What is wrong.
    public init(_ code: Code, artifact: String?, _ message: String) {
        self.code = code
        self.artifact = artifact
        self.message = message
    }
}
