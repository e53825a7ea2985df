import Foundation
import Testing

@testable import SysScanKit

/// How an example marks the lines a finding must cite: `↓` or `>>` first on a line, after any
/// indentation; a `↓` after text marks nothing and is reported.
struct RuleExampleTests {
    @Test(arguments: ["↓", ">>"])
    func aMarkerAfterTheIndentationMarksItsLineAndKeepsTheIndentation(marker: String) {
        let file = RuleExample.File(
            artifact: "conf/server.xml",
            markedContent: "<Server>\n  \(marker)<Connector/>\n\t\(marker)<x/>\n</Server>\n")
        #expect(file.markedLines == [2, 3])
        #expect(file.content == "<Server>\n  <Connector/>\n\t<x/>\n</Server>\n")
        #expect(file.misplacedMarkers.isEmpty)
    }

    @Test func aDownArrowAfterTextMarksNothingAndIsReported() {
        let file = RuleExample.File(artifact: "app.log", markedContent: "a ↓ b\n↓c ↓\n>> d\ne >> f\n")
        #expect(file.markedLines == [2, 3])
        #expect(file.misplacedMarkers == [1, 2])
        #expect(file.content == "a ↓ b\nc ↓\n d\ne >> f\n")
    }

    @Test func theRuleFileLineOfAnExampleLineIsKnownForALiteralBlock() throws {
        let kb = try KnowledgeBaseLoader().load(directory: try Fixtures.knowledgeBase().path)
        let oom = try #require(kb.rules.first { $0.id == "OOM-HEAP" })
        let file = try #require(oom.triggeringExamples.first?.files.first)
        // Fixtures.oomRule: the triggering content's first line is line 18 of the file.
        #expect(file.fileLine(of: 1) == 18)
        #expect(file.text(ofLine: 3)?.hasSuffix("java.lang.OutOfMemoryError: Java heap space") == true)
    }

    @Test func anIndentedASCIIMarkerPassesTheVerifier() throws {
        let rule = Fixtures.ajpRule.replacingOccurrences(
            of: "<Server>\n        ↓<Connector", with: "<Server>\n          >><Connector")
        #expect(rule != Fixtures.ajpRule)
        let folder = try Fixtures.knowledgeBase(["AJP-OPEN": rule])
        let compiled = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        let ajp = try #require(compiled.rules.first)
        #expect(ajp.triggeringExamples.first?.markedLines == [2])
        let failures = ExampleVerifier(knowledgeBase: compiled).verify(ajp)
        #expect(failures.isEmpty, "\(failures)")
    }
}
