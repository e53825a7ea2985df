import Foundation

/// The one way SysScan writes JSON: pretty-printed, keys sorted, slashes unescaped, ending in a newline,
/// so that every machine-readable output is stable and diffable.
enum JSONText {
    /// `value` as JSON text, or `fallback` if it cannot be encoded.
    static func encode(_ value: some Encodable, fallback: String = "{}\n") -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return fallback }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
