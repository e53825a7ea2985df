import Foundation

/// What must hold for a rule to fire: a condition on artifacts, or a combination of conditions.
public indirect enum Condition: Sendable {
    /// Lines of the rule's artifacts match a regular expression (with counts, windows, thresholds).
    case log(LogCondition)
    /// An XPath expression selects nodes of the rule's XML artifacts (or a boolean one is true).
    case xpath(String)
    /// A key of the rule's Java `.properties` artifacts compares to a value.
    case property(PropertyCondition)
    /// A directive of the rule's httpd- or sshd-style artifacts compares to a value.
    case directive(DirectiveCondition)
    /// A JVM option found in the rule's artifacts compares to a value.
    case jvmOption(JVMOptionCondition)
    /// Files of the upload match a glob (with a version in their name in a range).
    case file(FileCondition)
    /// A fact detected about the upload (a product's version) is in a range, equals a value, or is absent.
    case fact(FactCondition)
    /// A package of the upload's package lists is installed in an affected version.
    case package(PackageCondition)
    /// A certificate of the upload is expired, expiring, weak or SHA-1 signed.
    case certificate(CertificateCondition)
    /// Every condition holds.
    case all([Condition])
    /// At least one condition holds.
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)

    /// The conditions at the leaves of this one, left to right.
    public var leaves: [Condition] {
        switch self {
        case let .all(children), let .any(children): children.flatMap(\.leaves)
        case let .not(child): child.leaves
        default: [self]
        }
    }
}

/// How a value is compared, shared by property, directive and JVM option conditions.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    /// Equal as text (as numbers when both are numbers; `true`/`false` regardless of case).
    case eq
    /// Not equal.
    case ne
    /// Numerically less than.
    case lt
    /// Numerically at most.
    case le
    /// Numerically greater than.
    case gt
    /// Numerically at least.
    case ge
    /// Contains the text.
    case contains
    /// Does not contain the text.
    case notContains = "not_contains"
    /// Matches a regular expression (PCRE2).
    case matches
    /// The key, directive or option is set.
    case present
    /// It is not set.
    case absent

    /// Whether the operator takes a `value`.
    public var needsValue: Bool { self != .present && self != .absent }
    /// Whether the operator compares numbers.
    public var isNumeric: Bool { [.lt, .le, .gt, .ge].contains(self) }
}
