import Foundation

/// How a scan runs; the defaults suit an interactive scan.
public struct ScanOptions: Sendable {
    /// The support case to link findings to; wins over the upload's metadata.
    public var supportCase: String?
    /// The system id; wins over the upload's metadata.
    public var system: String?
    /// How deep archives inside the upload are opened.
    public var maxNesting = 3
    /// The most evidence kept per finding.
    public var maxEvidence = 10
    /// Lines of context kept around each evidence line.
    public var contextLines = 2
    /// The longest evidence line shown, in characters.
    public var maxEvidenceLength = 300
    /// The largest configuration file parsed, in bytes.
    public var maxConfigBytes = 32 << 20
    /// The longest line matched whole by log rules, in bytes.
    public var maxLineLength = 1 << 20
    /// What the upload may expand to (bytes per entry and per upload, entries); past it the rest of the
    /// entry or upload is not read, with a warning.
    public var budget = ExpansionBudget()
    /// The seconds the reading of an upload may take; past them the scan stops with `ScanError.timedOut`.
    ///
    /// Nil (the default): no limit. The reading checks the time between blocks, so a single block's
    /// matching is not interrupted.
    public var maxSeconds: Double?
    /// The block size in which artifacts are read and searched.
    public var blockSize = 64 * 1024
    /// The threads artifacts are matched on (the upload is read on one more): the machine's cores by
    /// default, at most 8.
    ///
    /// Findings are the same whatever the count; 1 matches on the reading thread.
    public var threads = ScanOptions.defaultThreads
    /// How long before the upload's newest log line a finding may have last happened and still be
    /// current (seconds); older ones are reported as past events.
    ///
    /// Default 72 hours.
    public var pastEventAfter: Double = 72 * 3600
    /// The scan date (gives syslog timestamps their year; decides whether tuning entries expired).
    public var now = Date()
    /// Local tuning applied to the findings.
    public var tuning: Tuning?
    /// The support policy that suggests a case severity and gives the plan's response target.
    public var policy: SupportPolicy?
    /// The customer's plan, when the upload's metadata does not name it.
    public var plan: String?
    /// Whether to measure where the time goes (`ScanReport.profile`).
    public var profile = false
    /// Called as each artifact starts (entries and bytes read so far, the artifact's name).
    public var progress: (@Sendable (ScanProgress) -> Void)?
    /// Metadata used where neither the upload nor the command line gives a value (the spool's file names).
    public var defaults = UploadMetadata()
    /// Metadata given with the upload as a sidecar would be (the spool's folder drops); a sidecar beside
    /// a part wins over it.
    public var metadata = UploadMetadata()

    /// Creates the default options.
    public init() {}

    /// The default thread count: the cores this process may use, at most 8.
    public static var defaultThreads: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }
}

/// How far a scan has got, for progress displays.
public struct ScanProgress: Sendable {
    /// Entries visited so far.
    public var entries: Int
    /// Bytes of artifact content read so far.
    public var bytesRead: Int64
    /// The artifact being read.
    public var artifact: String
}
