import Foundation

/// Everything a scan found and read, ready to render.
public struct ScanReport: Sendable {
    /// One input of the scan as given on the command line.
    public struct Input: Sendable, Hashable {
        /// The path as given.
        public var path: String
        /// The name shown in artifact names (`upload.tgz`, a folder's name).
        public var name: String
        /// `folder`, or the archive's format and filters as libarchive names them (`GNU tar format, gzip`).
        public var format: String
        /// The upload's size in bytes (a folder: the sum of its files).
        public var bytes: Int64
    }

    /// A rule that could not be evaluated because the upload holds none of its artifacts.
    public struct NotEvaluated: Sendable, Hashable {
        /// The rule's id.
        public var rule: String
        /// The artifact kinds it needs, none of which the upload holds.
        public var missingKinds: [String]
    }

    /// Why entries of the upload were not scanned, with how many of each.
    public struct SkippedEntries: Sendable, Hashable {
        /// Entries of no kind the knowledge base knows.
        public var notRecognised = 0
        /// Entries skipped for a problem reported as a warning (encrypted, damaged, binary, too deep).
        public var withWarning = 0
    }

    /// The inputs of this scan: one upload, possibly in several parts.
    public var inputs: [Input]
    /// What the upload says about itself, merged with the command line's values.
    public var metadata: UploadMetadata
    /// The knowledge base's version.
    public var knowledgeBaseVersion: String
    /// The number of rules in the knowledge base.
    public var ruleCount: Int
    /// When the scan started.
    public var startedAt: Date
    /// How long the scan took, in seconds.
    public var duration: TimeInterval
    /// The findings, most serious first.
    public var findings: [Finding]
    /// Findings that local tuning suppressed (their `tuningReason` says why).
    public var suppressed: [Finding] = []
    /// Rules that could not be evaluated for lack of artifacts.
    public var notEvaluated: [NotEvaluated]
    /// Problems met while reading the upload.
    public var warnings: [ScanWarning]
    /// The artifacts read (entries of a known kind), by full name, in reading order.
    public var artifacts: [String]
    /// Entries not scanned, by reason.
    public var skipped: SkippedEntries
    /// Bytes of artifact content read.
    public var bytesRead: Int64
    /// Where the scan's time went, when profiling was asked for.
    public var profile: ScanProfile? = nil
    /// The case severity the findings suggest under the support policy (0 most urgent … 3).
    public var suggestedCaseSeverity: Int? = nil
    /// The response target of the customer's plan for that severity.
    public var responseTarget: String? = nil

    /// The number of findings at each severity.
    public var countsBySeverity: [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        return counts
    }

    /// Returns whether any finding is at `threshold` or above.
    ///
    /// - Parameter threshold: The lowest severity that counts.
    /// - Returns: True when a finding is at least that serious.
    public func hasFinding(atOrAbove threshold: Severity) -> Bool {
        findings.contains { $0.severity >= threshold }
    }
}

/// Where a scan's time went: per artifact (bytes and seconds) and per rule (lines its patterns had to
/// confirm with PCRE2, configuration evaluation), to find the rule that makes a scan slow.
public struct ScanProfile: Sendable {
    /// One artifact's reading and searching.
    public struct Artifact: Sendable {
        /// The artifact's full name.
        public var name: String
        /// Its kind.
        public var kind: String
        /// Bytes read.
        public var bytes: Int64
        /// Seconds spent on it (reading, searching, parsing).
        public var seconds: Double
    }

    /// One rule's cost.
    public struct Rule: Sendable {
        /// The rule's id.
        public var id: String
        /// Candidate lines its patterns confirmed with PCRE2.
        public var confirmations: Int
        /// Seconds spent confirming and evaluating its conditions.
        public var seconds: Double
    }

    /// The artifacts, slowest first.
    public var artifacts: [Artifact]
    /// The rules that cost anything, costliest first.
    public var rules: [Rule]
}
