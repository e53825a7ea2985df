import Foundation
import Testing

@testable import SysScanKit

struct KnowledgeBaseLoaderTests {
    @Test func aValidKnowledgeBaseLoadsWithItsVersionKindsAndRules() throws {
        let kb = try KnowledgeBaseLoader().load(directory: try Fixtures.knowledgeBase().path)
        #expect(kb.version == "test-1")
        #expect(kb.kinds.map(\.name) == ["tomcat-server-xml", "java-properties", "app-log"])
        #expect(kb.rules.map(\.id) == ["AJP-OPEN", "JMX-NO-AUTH", "OOM-HEAP"])
        let oom = try #require(kb.rules.last)
        guard case let .log(condition) = oom.condition else {
            Issue.record("expected a log condition")
            return
        }
        #expect(condition.minCount == 2)
        #expect(oom.triggeringExamples.first?.markedLines == [1, 3])
    }

    /// Each broken rule file gives the diagnostic code, the file, the line and the key at fault.
    @Test(arguments: [
        (
            "severity: high", "severity: urgent", "KB004",
            "'severity' is 'urgent'; expected one of critical | high | medium | low | info", 4
        ),
        ("title: Heap exhausted", "titel: Heap exhausted", "KB003", "unknown key 'titel'; did you mean 'title'?", 2),
        ("id: OOM-HEAP", "id: OOM-HEAP-2", "KB005", "id 'OOM-HEAP-2' differs from the file name 'OOM-HEAP'", 1),
        (
            "applies_to: [app-log]", "applies_to: [catalina-log]", "KB009",
            "'applies_to' names the unknown artifact kind 'catalina-log'", 5
        ),
        (
            "regex: 'OutOfMemoryError: (?<what>Java heap space)'", "regex: 'OutOfMemoryError: (Java heap space'",
            "KB007", "'when.log.regex' does not compile", 8
        ),
        ("min_count: 2", "min_count: zero", "KB004", "'when.log.min_count' must be a whole number of at least 1", 9),
        ("message: \"{{count}} times: {{what}}\"\n", "", "KB002", "missing required key 'message'", 1),
        ("    regex:", "    regexp:", "KB003", "unknown key 'when.log.regexp'; did you mean 'regex'?", 8),
        ("category: stability", "category: [stability", "KB001", "not valid YAML", 3),
    ])
    func anInvalidRuleNamesTheFileTheKeyAndTheProblem(
        find: String, replace: String, code: String, message: String, line: Int
    ) throws {
        let broken = Fixtures.oomRule.replacingOccurrences(of: find, with: replace)
        #expect(broken != Fixtures.oomRule)
        let folder = try Fixtures.knowledgeBase(["OOM-HEAP": broken])
        #expect {
            try KnowledgeBaseLoader().load(directory: folder.path)
        } throws: { error in
            guard case let .invalid(diagnostics) = error as? KnowledgeBaseError,
                let diagnostic = diagnostics.first(where: { $0.level == .error })
            else { return false }
            let text = diagnostic.description
            return diagnostic.code.rawValue == code && text.contains(message) && text.contains("rules/OOM-HEAP.yaml:")
                && diagnostic.line == line
        }
    }

    @Test func aMissingFolderIsNotFound() {
        #expect(throws: KnowledgeBaseError.self) { try KnowledgeBaseLoader().load(directory: "/nonexistent/kb") }
    }

    @Test func theDiagnosticRendersAsPathLineColumnLevelAndCode() {
        let diagnostic = Diagnostic(.unknownKey, file: "KnownIssues/X.yaml", line: 3, column: 1, "unknown key 'titel'")
        #expect(diagnostic.description == "KnownIssues/X.yaml:3:1: error[KB003]: unknown key 'titel'")
    }
}
