/// A condition on a fact the scan detected about the upload (`tomcat.version`, `java.version`): its
/// version in a range, its value equal to a text, or its absence.
public struct FactCondition: Sendable {
    /// What a condition on a fact the upload does not show comes to.
    public enum WhenUnknown: String, Sendable, CaseIterable {
        /// The condition holds, and the finding says that it rests on an unknown fact (the default: a
        /// finding is not dropped for lack of a version, nor claimed as sure).
        case unverified
        /// The condition does not hold.
        case fails
    }

    /// The fact's name.
    public var name: String
    /// The versions the fact's value must be in.
    public var versionRange: VersionRange?
    /// The text the value must equal.
    public var equals: String?
    /// True: the condition holds when the fact is not detected (and only then).
    public var absent: Bool
    /// What the condition comes to when the fact is not detected (without `absent`).
    public var whenUnknown: WhenUnknown

    /// Creates a fact condition.
    public init(
        name: String, versionRange: VersionRange? = nil, equals: String? = nil, absent: Bool = false,
        whenUnknown: WhenUnknown = .unverified
    ) {
        self.name = name
        self.versionRange = versionRange
        self.equals = equals
        self.absent = absent
        self.whenUnknown = whenUnknown
    }

    /// The verdict on the fact's detected value (nil: not detected).
    enum Verdict: Equatable {
        case holds
        case fails
        /// Holds on an assumption: the fact is unknown.
        case unverified
    }

    /// Judges the condition on the fact's detected value (nil when the upload does not show it).
    func verdict(_ value: String?) -> Verdict {
        guard let value else {
            if absent { return .holds }
            return whenUnknown == .unverified ? .unverified : .fails
        }
        if absent { return .fails }
        if let equals, value != equals { return .fails }
        if let versionRange {
            guard let version = Version(value), versionRange.contains(version) else { return .fails }
        }
        return .holds
    }
}
