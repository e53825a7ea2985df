/// One place where a configuration condition holds: a key, a directive's setting (or its absence).
struct ConfigHit: Sendable {
    /// The line it is set on; nil when it is absent.
    var line: Int?
    /// Values for the rule's message.
    var values: [String: String]
    /// The evidence text when there is no line to cite: the value, or why it counts when absent.
    var description: String
    /// For a configuration of several files: the file the line is in (`DirectiveFile.Entry.source`); nil
    /// when the setting is absent (the main file is then cited).
    var source: Int? = nil

    /// The evidence text of a key or directive that is not set.
    static func absence(of key: String, op: ComparisonOperator, defaultValue: String?) -> String {
        if op == .absent || defaultValue == nil { return "\(key) is not set" }
        return "\(key) is not set; the default \(defaultValue ?? "") applies"
    }
}
