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
    /// The longest evidence line shown, in characters.
    public var maxEvidenceLength = 300
    /// The largest configuration file parsed, in bytes.
    public var maxConfigBytes = 32 << 20
    /// The longest line matched whole by log rules, in bytes.
    public var maxLineLength = 1 << 20
    /// The block size in which artifacts are read and searched.
    public var blockSize = 64 * 1024
    /// The scan date (gives syslog timestamps their year; decides whether tuning entries expired).
    public var now = Date()
    /// Local tuning applied to the findings.
    public var tuning: Tuning?

    /// Creates the default options.
    public init() {}
}
