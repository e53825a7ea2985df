/// A support case number: `C` followed by 7 digits, such as `C1234567`.
///
/// The command line, the spool (which reads it from an upload's file name) and the store accept only
/// these; anything else is refused or dropped with a warning.
public struct CaseNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number as written: `C` and 7 digits.
    public let text: String

    /// Creates a case number from `text`, or nil when `text` is not `C` followed by 7 digits.
    ///
    /// - Parameter text: The text to read, such as `C1234567`.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        self.text = text
    }

    /// Whether `text` is a case number: `C` followed by 7 ASCII digits, nothing before or after.
    ///
    /// - Parameter text: The text to check.
    /// - Returns: True for `C1234567`, false for `c1234567`, `C123456` or `C12345678`.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 8 && bytes[0] == UInt8(ascii: "C")
            && bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The number as written.
    public var description: String { text }
}
