import Foundation
import Testing

/// Golden files: output compared with a file kept in the source tree.
///
/// A difference is reported as a unified diff of lines. With `SYSSCAN_UPDATE_GOLDEN=1` in the environment,
/// the output is written to the golden file instead (review the change with `git diff`).
/// The same helper is in `Tests/SysScanTests/GoldenFile.swift`: each test target has its own copy.
enum GoldenFile {
    /// The environment variable that turns comparing into updating.
    static let updateVariable = "SYSSCAN_UPDATE_GOLDEN"

    /// Records an issue, with the difference, when `actual` is not the content of `golden`; in update mode
    /// writes `actual` to `golden` instead.
    static func expect(
        _ actual: String, matches golden: URL, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if ProcessInfo.processInfo.environment[updateVariable] == "1" {
            try Data(actual.utf8).write(to: golden)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        guard actual != expected else { return }
        Issue.record(
            """
            \(golden.path) differs from the output (- golden, + output; \(updateVariable)=1 rewrites it):
            \(difference(from: expected, to: actual))
            """, sourceLocation: sourceLocation)
    }

    /// The lines that differ between two texts, as the hunks of a unified diff with `context` lines around
    /// each change.
    static func difference(from old: String, to new: String, context: Int = 3) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The longest common subsequence of lines, from the end, then one pass that emits the edit.
        var common = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var edit: [(mark: Character, line: String, oldLine: Int, newLine: Int)] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                edit.append((" ", a[i], i, j))
                (i, j) = (i + 1, j + 1)
            } else if i < a.count, j == b.count || common[i + 1][j] >= common[i][j + 1] {
                edit.append(("-", a[i], i, j))
                i += 1
            } else {
                edit.append(("+", b[j], i, j))
                j += 1
            }
        }
        let changed = edit.indices.filter { edit[$0].mark != " " }
        var out: [String] = []
        var index = 0
        while index < changed.count {
            let start = max(0, changed[index] - context)
            var end = changed[index]
            while index < changed.count, changed[index] <= end + 2 * context + 1 {
                end = changed[index]
                index += 1
            }
            let hunk = edit[start...min(edit.count - 1, end + context)]
            let first = hunk[hunk.startIndex]
            out.append("@@ -\(first.oldLine + 1) +\(first.newLine + 1) @@")
            out += hunk.map { "\($0.mark)\($0.line)" }
        }
        return out.joined(separator: "\n")
    }
}
