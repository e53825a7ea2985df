/// What matching one artifact found, in state of its own: the leaves it matched, its warnings and its
/// costs.
///
/// Artifacts are matched independently (on several threads when the scan has them) and their
/// matches are merged into the scan in reading order, so the report does not depend on the thread count.
final class ArtifactMatches {
    /// The artifact and its kind's name.
    let name: ArtifactName
    let kind: String

    init(name: ArtifactName, kind: String) {
        self.name = name
        self.kind = kind
    }

    /// The state of each leaf this artifact matched, by leaf index.
    private(set) var states: [Int: LeafState] = [:]
    /// The facts the artifact showed, by index into the knowledge base's facts: the last line showing each.
    var facts: [Int: FactSighting] = [:]
    /// For an httpd- or sshd-style configuration: its text, evaluated with its includes once the upload is read.
    var directiveText: String?
    /// For a certificate file: its certificates, judged once the upload's time is known.
    var certificates: CertificateFile?
    /// Problems met while matching, in order.
    var warnings: [ScanWarning] = []
    /// The artifact's kind, when it was fully evaluated.
    var evaluatedKind: String?
    /// Whether the artifact was skipped for a problem reported in `warnings`.
    var skipped = false
    /// Bytes read.
    var bytes: Int64 = 0
    /// For a log: the time of its newest line (its last line that has one), seconds since 1970.
    var newest: Double?
    /// With profiling: the artifact's cost, and per rule index its confirmations and seconds.
    var cost: ScanProfile.Artifact?
    var ruleCosts: [Int: (confirmations: Int, seconds: Double)] = [:]

    /// The state of leaf `leaf` for this artifact, made on first use.
    func state(_ leaf: Int) -> LeafState {
        if let state = states[leaf] { return state }
        let state = LeafState()
        states[leaf] = state
        return state
    }

    /// Adds a rule's confirmations and seconds to its cost.
    func charge(rule: Int, confirmations: Int = 0, seconds: Double) {
        var cost = ruleCosts[rule] ?? (0, 0)
        cost.confirmations += confirmations
        cost.seconds += seconds
        ruleCosts[rule] = cost
    }
}
