/// A fact the scan detected about the upload, with the line that proves it.
public struct DetectedFact: Sendable, Codable, Hashable {
    /// The fact's name, such as `tomcat.version`.
    public var name: String
    /// Its value, such as `9.0.98`.
    public var value: String
    /// Where it was read: the artifact, the line number and the line.
    public var evidence: Evidence

    /// Where it was read: `artifact:line`.
    public var place: String { evidence.line.map { "\(evidence.artifact):\($0)" } ?? evidence.artifact }

    /// Creates a detected fact.
    public init(name: String, value: String, evidence: Evidence) {
        self.name = name
        self.value = value
        self.evidence = evidence
    }
}
