import Foundation

/// Everything a scan found and read, ready to render.
public struct ScanReport: Sendable, Codable {
    /// One input of the scan as given on the command line.
    public struct Input: Sendable, Hashable, Codable {
        /// The path as given.
        public var path: String
        /// The name shown in artifact names (`upload.tgz`, a folder's name).
        public var name: String
        /// `folder`, `file` (a single plain file), or the archive's format and filters as libarchive names them
        /// (`GNU tar format, gzip`).
        public var format: String
        /// The upload's size in bytes (a folder: the sum of its files).
        public var bytes: Int64
    }

    /// A rule that could not be evaluated because the upload holds none of its artifacts.
    public struct NotEvaluated: Sendable, Hashable, Codable {
        /// The rule's id.
        public var rule: String
        /// The artifact kinds it needs, none of which the upload holds.
        public var missingKinds: [String]
    }

    /// Why entries of the upload were not scanned, with how many of each.
    public struct SkippedEntries: Sendable, Hashable, Codable {
        /// Entries of no kind the knowledge base knows.
        public var notRecognised = 0
        /// Entries skipped for a problem reported as a warning (encrypted, damaged, binary, too deep).
        public var withWarning = 0
    }

    /// Why nothing of an upload could be checked: it holds no file of a kind the knowledge base knows.
    public struct NothingChecked: Sendable, Hashable, Codable {
        /// A lower-case sentence that says why (`the folder holds no file`, `its one entry is of no kind
        /// the knowledge base knows`).
        public var reason: String
        /// The entries seen in the upload (metadata and skipped ones included).
        public var entriesSeen: Int
        /// The paths inside the upload of the first entries of no known kind (at most 20; their number is
        /// `skipped.notRecognised`).
        public var unrecognised: [String]

        /// Creates the explanation.
        ///
        /// - Parameters:
        ///   - reason: Why nothing could be checked.
        ///   - entriesSeen: The entries seen in the upload.
        ///   - unrecognised: The paths of the first entries of no known kind.
        public init(reason: String, entriesSeen: Int, unrecognised: [String]) {
            self.reason = reason
            self.entriesSeen = entriesSeen
            self.unrecognised = unrecognised
        }
    }

    /// What a scan amounts to, as scripts test it.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// At least one finding (suppressed ones do not count).
        case findings
        /// Artifacts were read and no finding holds.
        case noFindings = "no-findings"
        /// No artifact was read and nothing was found, so no rule could be checked: never a clean result.
        case nothingChecked = "nothing-checked"
    }

    /// The inputs of this scan: one upload, possibly in several parts.
    public var inputs: [Input]
    /// What the upload says about itself, merged with the command line's values.
    public var metadata: UploadMetadata
    /// The knowledge base's version.
    public var knowledgeBaseVersion: String
    /// The number of rules in the knowledge base.
    public var ruleCount: Int
    /// The digest of the knowledge base's rule files and kinds (see `KnowledgeBaseDigest`); nil in reports
    /// recorded before it was kept.
    public var knowledgeBaseDigest: String? = nil
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
    /// What the upload says about itself from inside (its `sysscan.properties`), before the sidecar, the
    /// file name and the command line are merged in: what another upload of the same bytes shares.
    public var contentMetadata: UploadMetadata? = nil
    /// Why nothing could be checked, when `nothingChecked`; nil otherwise.
    public var nothingCheckedDetail: NothingChecked? = nil
    /// What the upload showed about itself (products and versions), each with the line that proves it.
    public var facts: [DetectedFact]? = nil

    /// Whether nothing of the upload could be checked: the scan read no artifact (no file of the upload is
    /// of a kind the knowledge base knows) and no rule on the upload's file list found anything.
    ///
    /// Such a report is never a clean result: no finding means that nothing was looked at. A finding made
    /// from the file list alone (a vulnerable jar in an upload of jars) counts as something checked.
    public var nothingChecked: Bool { artifacts.isEmpty && findings.isEmpty && suppressed.isEmpty }

    /// What the scan amounts to: findings, none, or nothing checked.
    public var outcome: Outcome {
        if nothingChecked { return .nothingChecked }
        return findings.isEmpty ? .noFindings : .findings
    }

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
public struct ScanProfile: Sendable, Codable {
    /// One artifact's reading and searching.
    public struct Artifact: Sendable, Codable {
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
    public struct Rule: Sendable, Codable {
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
