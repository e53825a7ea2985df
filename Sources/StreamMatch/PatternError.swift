/// Why a pattern could not be compiled.
public enum PatternError: Error, CustomStringConvertible, Equatable {
    /// PCRE2 rejected the pattern at `index` in its set; `offset` is the byte offset of the error in the pattern.
    case invalid(index: Int, pattern: String, offset: Int, reason: String)

    /// A lower-case message that names the pattern and what is wrong with it.
    public var description: String {
        switch self {
        case let .invalid(_, pattern, offset, reason):
            return "invalid regular expression '\(pattern)' at offset \(offset): \(reason)"
        }
    }
}
