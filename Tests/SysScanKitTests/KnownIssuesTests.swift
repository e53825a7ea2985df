import Foundation
import Testing

@testable import SysScanKit

/// The project's knowledge base: it loads clean and every rule behaves on its own examples, under every
/// mutation (the same code as `sysscan rules test`).
struct KnownIssuesTests {
    static let compiled: CompiledKnowledgeBase? = try? RuleCompiler.compile(
        KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))

    @Test func theKnowledgeBaseLoadsWithoutErrors() throws {
        let outcome = try KnowledgeBaseLoader().inspect(directory: Fixtures.knownIssues)
        let errors = outcome.diagnostics.filter { $0.level == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.description).joined(separator: "\n"))")
    }

    @Test func theKnowledgeBaseCoversEveryCategoryAndConditionKind() throws {
        let kb = try #require(Self.compiled)
        #expect(kb.rules.count >= 12)
        for category in Category.allCases {
            #expect(kb.rules.contains { $0.category == category }, "no \(category) rule")
        }
        #expect(kb.rules.contains { if case let .log(c) = $0.condition { c.minCount > 1 } else { false } })
        #expect(kb.rules.contains { if case .xpath = $0.condition { true } else { false } })
        #expect(kb.rules.contains { if case let .property(c) = $0.condition { c.defaultValue != nil } else { false } })
    }

    @Test func everyRuleBehavesOnItsExamples() throws {
        let kb = try #require(Self.compiled)
        let verifier = ExampleVerifier(knowledgeBase: kb)
        let failures = kb.rules.flatMap { verifier.verify($0) }
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    /// The rows of the Markdown table that follows `heading` in `KnownIssues/README.md`: each row's first cell.
    static func readmeTable(after heading: String) throws -> [String] {
        let readme = try String(contentsOfFile: Fixtures.knownIssues + "/README.md", encoding: .utf8)
        guard let start = readme.range(of: heading) else { return [] }
        var names: [String] = []
        var inTable = false
        for line in readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| `") {
                inTable = true
                names.append(String(line.dropFirst(3).prefix { $0 != "`" }))
            } else if inTable, !line.hasPrefix("|") {
                break
            }
        }
        return names
    }

    @Test func theReadmeListsEveryArtifactKindInOrder() throws {
        let kb = try #require(Self.compiled)
        #expect(try Self.readmeTable(after: "## Artifact kinds") == kb.source.kinds.map(\.name) + ["upload"])
    }

    @Test func theReadmeListsEveryLintCode() throws {
        #expect(try Self.readmeTable(after: "## Lint codes") == Diagnostic.Code.allCases.map(\.rawValue))
    }

    @Test func aRuleWithABrokenRegexFailsItsExamples() throws {
        var kb = try KnowledgeBaseLoader().load(directory: try Fixtures.knowledgeBase().path)
        let index = try #require(kb.rules.firstIndex { $0.id == "OOM-HEAP" })
        kb.rules[index].condition = .log(
            LogCondition(regex: "OutOfMemoryError: Java heap spaec", ignoreCase: false, minCount: 2))
        let compiled = try RuleCompiler.compile(kb)
        let failures = ExampleVerifier(knowledgeBase: compiled).verify(compiled.rules[index])
        #expect(failures.count == 1, "one report per example, not one per mutation")
        let problem = try #require(failures.first?.problems.first)
        #expect(problem.message == "did not fire" && problem.mutations.isEmpty)
    }
}
