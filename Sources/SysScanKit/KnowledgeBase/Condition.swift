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

/// A condition on log lines.
public struct LogCondition: Sendable {
    /// A second pattern that must follow a match.
    public struct FollowUp: Sendable {
        /// The regular expression of the following line.
        public var regex: String
        /// How long after the first line it must come, in seconds; nil: anywhere after.
        public var within: TimeInterval?
    }

    /// The regular expression, PCRE2 syntax, matched against each line without its line end.
    public var regex: String
    /// Whether letters match regardless of case.
    public var ignoreCase: Bool
    /// The number of counted lines (or pairs with `followedBy`) needed to fire.
    public var minCount: Int
    /// The time window, in seconds, in which `minCount` lines must fall; nil: anywhere.
    public var within: TimeInterval? = nil
    /// A named group holding a number compared with `above`/`below`.
    public var capture: String? = nil
    /// A line counts only when the capture is above this.
    public var above: Double? = nil
    /// A line counts only when the capture is below this.
    public var below: Double? = nil
    /// A later line that must follow each counted line.
    public var followedBy: FollowUp? = nil

    /// Creates a log condition.
    public init(
        regex: String, ignoreCase: Bool, minCount: Int, within: TimeInterval? = nil, capture: String? = nil,
        above: Double? = nil, below: Double? = nil, followedBy: FollowUp? = nil
    ) {
        self.regex = regex
        self.ignoreCase = ignoreCase
        self.minCount = minCount
        self.within = within
        self.capture = capture
        self.above = above
        self.below = below
        self.followedBy = followedBy
    }
}

/// A condition on a key of a Java `.properties` file, on its effective value.
public struct PropertyCondition: Sendable {
    /// How the key's value is compared.
    public typealias Operator = ComparisonOperator

    /// The key.
    public var key: String
    /// The comparison.
    public var op: Operator
    /// The value compared with.
    public var value: String?
    /// The value the application uses when the key is absent; without it an absent key never fires
    /// (except with `absent`).
    public var defaultValue: String?
}

/// A condition on a directive of an httpd- or sshd-style file, on its effective value.
public struct DirectiveCondition: Sendable {
    /// Where the directive is looked for.
    public enum Scope: String, Sendable, CaseIterable {
        /// Outside blocks only.
        case global
        /// Outside blocks and in every block.
        case any
    }

    /// The directive's name (compared regardless of case).
    public var name: String
    /// The comparison.
    public var op: ComparisonOperator
    /// The value compared with (the directive's whole argument text).
    public var value: String?
    /// The compiled-in default used when the directive is absent.
    public var defaultValue: String?
    /// Where the directive is looked for.
    public var scope: Scope
}

/// A condition on a JVM option.
public struct JVMOptionCondition: Sendable {
    /// The option: `-Xmx`, `-Xms`, `-Xss`, `-XX:Name`, `-Dname`, `-agentlib:name`, `-javaagent`.
    public var option: String
    /// The comparison.
    public var op: ComparisonOperator
    /// The value compared with (sizes such as `4g` compare in bytes).
    public var value: String?
}

/// A condition on the files of the upload.
public struct FileCondition: Sendable {
    /// The glob the paths must match.
    public var glob: String
    /// Whether the rule fires when a file matches (true) or when none does (false).
    public var present: Bool
    /// A regular expression with a named group `version`, read from the matching path.
    public var version: String?
    /// The range the version must fall in.
    public var versionRange: VersionRange?
}
