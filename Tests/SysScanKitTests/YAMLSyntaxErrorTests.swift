import Foundation
import Testing

@testable import SysScanKit

/// A YAML mistake in a rule file is reported on the line to fix, not on the line where the parser
/// noticed it, and a double-quoted regex gets the hint to use single quotes.
struct YAMLSyntaxErrorTests {
    /// (what to replace in `Fixtures.oomRule`, the replacement, the line to report, text the message holds).
    static let mistakes: [(String, String, Int, String)] = [
        // A key without its colon: the parser notices at the next line.
        ("severity: high", "severity high", 4, "could not find expected ':' (noticed at line 5)"),
        // A quote left open: noticed at the next quote, lines later.
        ("title: Heap exhausted", "title: \"Heap exhausted", 2, "the quote opened here runs on: is it closed?"),
        // A flow list left open: noticed at the next key.
        ("applies_to: [app-log]", "applies_to: [app-log", 5, "did not find expected ',' or ']'"),
        // A double-quoted regex with a regex escape.
        (
            "regex: 'OutOfMemoryError: (?<what>Java heap space)'", "regex: \"OutOfMemoryError\\.\"", 8,
            "write a regex in single quotes"
        ),
        // A block mapping indented wrongly: the line noticed is the line to fix.
        ("    min_count: 2", "   min_count: 2", 9, "did not find expected key"),
    ]

    @Test(arguments: mistakes)
    func aSyntaxErrorIsReportedOnTheLineToFix(find: String, replace: String, line: Int, message: String) throws {
        let broken = Fixtures.oomRule.replacingOccurrences(of: find, with: replace)
        #expect(broken != Fixtures.oomRule)
        let folder = try Fixtures.knowledgeBase(["OOM-HEAP": broken])
        let diagnostics = try KnowledgeBaseLinter().lint(directory: folder.path)
        let syntax = try #require(diagnostics.first { $0.code == .yamlSyntax }, "\(diagnostics)")
        #expect(syntax.line == line, "\(syntax)")
        #expect(syntax.message.contains(message), "\(syntax)")
    }

    @Test func aRegexInSingleQuotesGetsNoHint() throws {
        let broken = Fixtures.oomRule.replacingOccurrences(of: "title: Heap exhausted", with: "title: 'Heap \"x")
        let folder = try Fixtures.knowledgeBase(["OOM-HEAP": broken])
        let diagnostics = try KnowledgeBaseLinter().lint(directory: folder.path)
        let syntax = try #require(diagnostics.first { $0.code == .yamlSyntax })
        #expect(!syntax.message.contains("single quotes"))
    }
}
