import Foundation
import Testing

/// The golden-file helper: what a failing comparison shows.
struct GoldenFileTests {
    @Test func aDifferenceShowsTheChangedLinesWithTheirContextAndLineNumbers() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...20).map { "line \($0)" }
        lines[4] = "line five"
        lines.insert("new line", at: 16)
        let new = lines.joined(separator: "\n") + "\n"
        let expected = """
            @@ -2 +2 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8
            @@ -14 +14 @@
             line 14
             line 15
             line 16
            +new line
             line 17
             line 18
             line 19
            """
        #expect(GoldenFile.difference(from: old, to: new) == expected)
    }

    @Test func equalTextsHaveNoDifference() {
        #expect(GoldenFile.difference(from: "a\nb\n", to: "a\nb\n") == "")
    }
}
