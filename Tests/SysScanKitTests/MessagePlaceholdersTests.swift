import Foundation
import Testing

@testable import SysScanKit

/// A message may only use the placeholders its rule fills: an unknown one is a lint error, and every
/// name the lint accepts is really filled when the rule fires.
struct MessagePlaceholdersTests {
    static let manifest = """
        version: "placeholders"
        kinds:
          - { name: server-xml, format: xml, paths: ["server.xml"] }
          - { name: props, format: properties, paths: ["*.properties"] }
          - { name: sshd, format: sshd, paths: ["sshd_config"] }
          - { name: jvm, format: text, paths: ["setenv.sh"] }
          - { name: app-log, format: log, paths: ["*.log"] }
        """

    /// A rule of one condition whose message is `message`, with one triggering example.
    static func rule(
        _ id: String, appliesTo: String, when: String, message: String, artifact: String, content: String
    ) -> String {
        """
        id: \(id)
        title: A rule
        category: stability
        severity: low
        applies_to: [\(appliesTo)]
        when:
        \(when)
        message: '\(message)'
        recommendation: Fix it.
        references:
          - article: KB-TEST-0001
        examples:
          triggering:
            - artifact: \(artifact)
              content: |
                \(content)
          non_triggering:
            - artifact: \(artifact)
              content: |
                nothing
        """
    }

    /// One rule per condition kind, its message using every name the lint accepts for it.
    static let rules: [String: String] = [
        "LOG": rule(
            "LOG", appliesTo: "app-log", when: "  log: { regex: 'rejected (?<n>\\d+) from (?<client>\\S+)' }",
            message: "{{count}} {{n}} {{client}}", artifact: "app.log", content: "↓rejected 3 from 10.0.0.1"),
        "XPATH": rule(
            "XPATH", appliesTo: "server-xml", when: "  xpath: \"//Connector[@protocol='AJP/1.3']\"",
            message: "{{count}} {{protocol}} {{port}} {{artifact}}", artifact: "server.xml",
            content: "↓<Connector port=\"8009\" protocol=\"AJP/1.3\"/>"),
        "PROPERTY": rule(
            "PROPERTY", appliesTo: "props", when: "  property: { key: a.b, op: eq, value: \"x\" }",
            message: "{{count}} {{key}} {{value}} {{artifact}}", artifact: "a.properties", content: "↓a.b=x"),
        "DIRECTIVE": rule(
            "DIRECTIVE", appliesTo: "sshd", when: "  directive: { name: PermitRootLogin, op: eq, value: \"yes\" }",
            message: "{{count}} {{name}} {{value}} {{block}} {{artifact}}", artifact: "sshd_config",
            content: "↓PermitRootLogin yes"),
        "JVM": rule(
            "JVM", appliesTo: "jvm", when: "  jvm_option: { option: -Xmx, op: gt, value: 31g }",
            message: "{{count}} {{option}} {{value}}", artifact: "setenv.sh", content: "↓JAVA_OPTS=-Xmx64g"),
        "FILE": rule(
            "FILE", appliesTo: "upload",
            when: "  file: { glob: \"**/lib-*.jar\", version: 'lib-(?<version>[0-9.]+)\\.jar$' }",
            message: "{{count}} {{path}} {{version}} {{artifact}}", artifact: "lib/lib-1.2.jar", content: ""),
        "NO-FILE": rule(
            "NO-FILE", appliesTo: "upload", when: "  file: { glob: \"**/lib-*.jar\", present: false }",
            message: "{{count}} {{glob}}", artifact: "other.txt", content: ""),
    ]

    @Test func anUnknownPlaceholderIsALintErrorWithADidYouMean() throws {
        let broken = Fixtures.oomRule.replacingOccurrences(of: "{{count}} times", with: "{{cnt}} times")
        let folder = try Fixtures.knowledgeBase(["OOM-HEAP": broken])
        let diagnostics = try KnowledgeBaseLinter().lint(directory: folder.path)
        let unknown = try #require(diagnostics.first { $0.code == .unknownPlaceholder })
        #expect(unknown.level == .error)
        #expect(unknown.line == 10)
        #expect(unknown.message.contains("{{cnt}}") && unknown.message.contains("did you mean 'count'?"))
        let loaded = try KnowledgeBaseLoader().inspect(directory: folder.path)
        #expect(loaded.knowledgeBase != nil, "a scan still runs the rule")
    }

    @Test func aPlaceholderUnderNotIsNeverFilled() {
        let condition = Condition.not(.log(LogCondition(regex: "(?<x>a)", ignoreCase: false, minCount: 1)))
        #expect(MessagePlaceholders.fillable(by: condition, xmlAttributes: []) == ["count"])
    }

    @Test func everyPlaceholderTheLintAcceptsIsFilledWhenTheRuleFires() throws {
        var files = ["knowledge-base.yaml": Self.manifest]
        for (id, text) in Self.rules { files["rules/\(id).yaml"] = text }
        let folder = try Fixtures.folder(files)
        let diagnostics = try KnowledgeBaseLinter().lint(directory: folder.path)
        #expect(diagnostics.filter { $0.level == .error }.isEmpty, "\(diagnostics.map(\.description))")
        let compiled = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        for rule in compiled.rules {
            let example = try #require(rule.triggeringExamples.first)
            let artifacts = example.files.map { (path: $0.artifact, content: Array($0.content.utf8)) }
            let report = Scanner(knowledgeBase: compiled).scan(artifacts: artifacts)
            let finding = try #require(report.findings.first { $0.rule == rule.id }, "\(rule.id) did not fire")
            #expect(!finding.message.contains("?"), "\(rule.id): \(finding.message)")
            #expect(!finding.message.contains("{{"), "\(rule.id): \(finding.message)")
        }
    }
}
