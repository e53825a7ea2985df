/// Runs every rule's inline examples through the real scanner: triggering examples must fire and cite
/// exactly the `↓` lines, non-triggering examples must not fire; then again under mutations (CRLF line
/// ends, no final newline, noise lines before and after with multibyte text, the smallest block size).
///
/// `sysscan rules test` and the test suite both use it, so they cannot drift apart.
public struct ExampleVerifier {
    /// A change applied to an example's content before it is scanned again.
    public enum Mutation: String, Sendable, CaseIterable {
        /// The example as written.
        case none
        /// Lines end with CRLF.
        case crlf
        /// The last line has no newline.
        case noFinalNewline = "no-final-newline"
        /// Noise lines (with multibyte text) before and after; marked lines shift accordingly.
        case noise
        /// Content read one byte at a time, so every line crosses block boundaries.
        case smallestBlock = "smallest-block"
    }

    /// One way an example misbehaved.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The rule's id.
        public var rule: String
        /// The rule file.
        public var file: String
        /// The example's line in the rule file.
        public var line: Int
        /// The mutation under which it misbehaved.
        public var mutation: Mutation
        /// What was expected and what happened.
        public var message: String

        /// `file:line: RULE [mutation] message`.
        public var description: String {
            "\(file):\(line): \(rule) [\(mutation.rawValue)] \(message)"
        }
    }

    private let knowledgeBase: CompiledKnowledgeBase

    /// Creates a verifier over a compiled knowledge base.
    ///
    /// - Parameter knowledgeBase: The knowledge base whose rules are verified.
    public init(knowledgeBase: CompiledKnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// Verifies the examples of `rule` under every mutation it does not opt out of.
    ///
    /// - Parameter rule: A rule of the knowledge base.
    /// - Returns: The failures; empty when the rule behaves.
    public func verify(_ rule: Rule) -> [Failure] {
        var failures: [Failure] = []
        var options = ScanOptions()
        options.maxEvidence = 10_000
        let scanner = Scanner(knowledgeBase: knowledgeBase, options: options)
        for mutation in Mutation.allCases where rule.mutationsOptOut[mutation.rawValue] == nil {
            for example in rule.triggeringExamples {
                let (artifacts, marked) = mutate(example, mutation)
                let report = scanner.scan(
                    artifacts: artifacts, name: "example", blockSize: mutation == .smallestBlock ? 1 : nil)
                guard let finding = report.findings.first(where: { $0.rule == rule.id }) else {
                    let reason =
                        report.notEvaluated.contains { $0.rule == rule.id }
                        ? " (not evaluated: its artifacts were not read)" : ""
                    failures.append(
                        Failure(
                            rule: rule.id, file: rule.file, line: example.fileLine, mutation: mutation,
                            message: "triggering example did not fire\(reason)"))
                    continue
                }
                for (index, file) in example.files.enumerated() {
                    let cited = finding.evidence.filter { $0.entry == file.artifact }.compactMap(\.line).sorted()
                    let expected = marked[index]
                    if !expected.isEmpty || !cited.isEmpty, cited != expected {
                        let which = example.files.count > 1 ? " of \(file.artifact)" : ""
                        failures.append(
                            Failure(
                                rule: rule.id, file: rule.file, line: example.fileLine, mutation: mutation,
                                message: "evidence lines\(which) \(cited) differ from the ↓ lines \(expected)"))
                    }
                }
            }
            for example in rule.nonTriggeringExamples {
                let (artifacts, _) = mutate(example, mutation)
                let report = scanner.scan(
                    artifacts: artifacts, name: "example", blockSize: mutation == .smallestBlock ? 1 : nil)
                if let finding = report.findings.first(where: { $0.rule == rule.id }) {
                    let lines = finding.evidence.compactMap(\.line)
                    failures.append(
                        Failure(
                            rule: rule.id, file: rule.file, line: example.fileLine, mutation: mutation,
                            message: "non-triggering example fired (lines \(lines))"))
                }
            }
        }
        return failures
    }

    /// The example's artifacts under `mutation`, with where each one's marked lines now are.
    private func mutate(_ example: RuleExample, _ mutation: Mutation) -> ([(path: String, content: [UInt8])], [[Int]]) {
        var artifacts: [(path: String, content: [UInt8])] = []
        var marked: [[Int]] = []
        for file in example.files {
            let format = knowledgeBase.locator.kind(for: file.artifact)?.format ?? .log
            let (content, lines) = Self.apply(mutation, to: file, format: format)
            artifacts.append((file.artifact, Array(content.utf8)))
            marked.append(lines)
        }
        return (artifacts, marked)
    }

    /// Returns the mutated content and where the marked lines now are.
    static func apply(_ mutation: Mutation, to example: RuleExample.File, format: ArtifactKind.Format) -> (
        String, [Int]
    ) {
        let content = example.content
        switch mutation {
        case .none, .smallestBlock:
            return (content, example.markedLines)
        case .crlf:
            return (content.replacingOccurrences(of: "\n", with: "\r\n"), example.markedLines)
        case .noFinalNewline:
            var trimmed = Substring(content)
            while trimmed.hasSuffix("\n") { trimmed = trimmed.dropLast() }
            return (String(trimmed), example.markedLines)
        case .noise:
            let noise: [String]
            switch format {
            case .xml: noise = ["<!-- Übersicht: 設定ファイル, ok -->", "<!-- noise -->"]
            case .properties: noise = ["# Übersicht: 設定ファイル", "unrelated.noise.key=värde"]
            case .httpd, .sshd: noise = ["# Übersicht: 設定ファイル", "# noise"]
            case .log, .text: noise = ["2026-11-20 10:00:00,000 INFO  [main] Übersicht geladen: 設定 ✓", "noise line"]
            case .packages: noise = ["Desired=Unknown/Install/Remove/Purge/Hold", "+++-==============-============"]
            }
            var lines = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var insertAt = 0
            if format == .xml, let first = lines.first, first.hasPrefix("<?xml") { insertAt = 1 }
            lines.insert(contentsOf: noise, at: insertAt)
            let trailing = lines.last == "" ? lines.count - 1 : lines.count
            lines.insert(contentsOf: noise, at: trailing)
            let shifted = example.markedLines.map { $0 > insertAt ? $0 + noise.count : $0 }
            return (lines.joined(separator: "\n"), shifted)
        }
    }
}
