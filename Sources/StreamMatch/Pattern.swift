/// One pattern of a `PatternSet`, as written by its author.
public struct Pattern: Sendable, Hashable {
    /// The pattern in PCRE2 syntax, or a plain string when `isLiteral` is set.
    public var source: String
    /// Whether letters match regardless of case (ASCII letters; content is matched as bytes).
    public var caseInsensitive: Bool
    /// Whether `source` is a fixed string rather than a regular expression.
    public var isLiteral: Bool
    /// A named group whose byte range each match hands over (`LineMatch.capture`), taken from the
    /// confirmation that found the match instead of from a second run of the pattern.
    public var capture: String?

    /// Creates a pattern.
    ///
    /// - Parameters:
    ///   - source: The pattern in PCRE2 syntax, or a fixed string when `isLiteral` is true.
    ///   - caseInsensitive: Whether letters match regardless of case.
    ///   - isLiteral: Whether `source` is a fixed string.
    ///   - capture: A named group whose range matches hand over.
    public init(_ source: String, caseInsensitive: Bool = false, isLiteral: Bool = false, capture: String? = nil) {
        self.source = source
        self.caseInsensitive = caseInsensitive
        self.isLiteral = isLiteral
        self.capture = capture
    }
}
