/// What a known issue threatens.
public enum Category: String, Sendable, Codable, CaseIterable {
    /// Availability: crashes, outages, resource exhaustion.
    case stability
    /// Speed and capacity.
    case performance
    /// Confidentiality and integrity: exposures and vulnerabilities.
    case security
}
