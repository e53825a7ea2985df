/// How serious a finding is, from `critical` down to `info`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    /// Act now: exploitable or already failing.
    case critical
    /// Act soon.
    case high
    /// Plan a fix.
    case medium
    /// Worth knowing.
    case low
    /// For information.
    case info

    /// A number that grows with seriousness (info 0 … critical 4).
    public var rank: Int {
        switch self {
        case .critical: 4
        case .high: 3
        case .medium: 2
        case .low: 1
        case .info: 0
        }
    }

    /// The next lower severity (`info` stays `info`): what a finding resting on an assumption is rated.
    public var oneStepLower: Severity {
        switch self {
        case .critical: .high
        case .high: .medium
        case .medium: .low
        case .low, .info: .info
        }
    }

    /// Orders by seriousness: `info < low < … < critical`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
