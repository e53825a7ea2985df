import Testing

@testable import SysScanKit

/// "Did you mean": the nearest name within two edits, a swap of neighbours counting one.
struct NameSuggestionTests {
    static let subcommands = ["scan", "spool", "history", "show", "diff", "cases", "grep", "rules", "digest"]

    @Test(arguments: [
        ("scna", "scan"), ("sacn", "scan"), ("scan ", "scan"), ("SCAN", "scan"), ("histroy", "history"),
        ("dif", "diff"), ("rulez", "rules"), ("digset", "digest"), ("grpe", "grep"),
    ])
    func aNearNameIsSuggested(name: String, expected: String) {
        #expect(NameSuggestion.nearest(to: name, among: Self.subcommands) == expected)
    }

    @Test(arguments: ["scan", "x", "upload.tgz", "catalina.out", "sc", "healthy-node", "ab"])
    func aFarNameOrAnExactOneIsNot(name: String) {
        #expect(NameSuggestion.nearest(to: name, among: Self.subcommands) == nil)
    }

    @Test(arguments: [("ab", "ba", 1), ("abc", "abc", 0), ("", "abc", 3), ("kitten", "sitting", 3), ("ca", "abc", 3)])
    func editsCountSwapsOfNeighboursAsOne(a: String, b: String, edits: Int) {
        #expect(NameSuggestion.edits(a, b) == edits)
    }
}
