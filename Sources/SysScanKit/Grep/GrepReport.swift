import Foundation

/// The JSON form of a grep's per-pattern results.
public enum GrepReport {
    /// Renders `result` as JSON: per pattern its count, first lines and named captures.
    ///
    /// - Parameters:
    ///   - result: A `.countPerPattern` search's result.
    ///   - patterns: The patterns as given, in order.
    /// - Returns: Pretty-printed JSON with sorted keys, ending in a newline.
    public static func json(_ result: GrepSearch.Result, patterns: [String]) -> String {
        struct ExampleInfo: Encodable {
            let artifact: String
            let line: Int
            let offset: Int
            let text: String
            let captures: [String: String]
        }
        struct PatternInfo: Encodable {
            let pattern: String
            let count: Int
            let first: [ExampleInfo]
        }
        struct ArtifactInfo: Encodable {
            let name: String
            let matching_lines: Int
        }
        struct Document: Encodable {
            let matching_lines: Int
            let bytes_read: Int64
            let artifacts: [ArtifactInfo]
            let patterns: [PatternInfo]
            let warnings: [String]
        }
        let document = Document(
            matching_lines: result.matchingLines, bytes_read: result.bytesRead,
            artifacts: result.artifacts.map { ArtifactInfo(name: $0.name, matching_lines: $0.matchingLines) },
            patterns: patterns.enumerated().map { index, pattern in
                PatternInfo(
                    pattern: pattern, count: result.patternCounts[index],
                    first: result.examples[index].map {
                        ExampleInfo(
                            artifact: $0.artifact, line: $0.line, offset: $0.offset, text: $0.text,
                            captures: $0.captures)
                    })
            },
            warnings: result.warnings.map(\.message))
        return JSONText.encode(document)
    }
}
