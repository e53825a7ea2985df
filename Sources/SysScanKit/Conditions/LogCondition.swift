import Foundation
import StreamMatch

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
    /// The condition holds only when its last counted line is at most this long before the upload's
    /// newest log line (seconds); nil: whenever it happened.
    public var recent: TimeInterval? = nil

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

extension LogCondition {
    /// The line patterns the condition adds to its kinds' pattern sets: its own and, with `followed_by`,
    /// the following line's.
    var patterns: [Pattern] {
        var patterns = [Pattern(regex, caseInsensitive: ignoreCase, capture: capture)]
        if let followedBy { patterns.append(Pattern(followedBy.regex, caseInsensitive: ignoreCase)) }
        return patterns
    }

    /// Whether the condition holds on what its lines accumulated over the upload, whose newest log line
    /// is at `newest` (seconds since 1970; nil when no log line has a time).
    func holds(_ state: LeafState, newest: Double?) -> Bool {
        guard state.count >= minCount, within == nil || state.windowMet else { return false }
        guard let recent, let newest, let last = state.lastSeen else { return true }
        return newest - last.epoch <= recent
    }
}
