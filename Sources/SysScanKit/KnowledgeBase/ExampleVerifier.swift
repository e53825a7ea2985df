/// Runs every rule's inline examples through the real scanner, as written and under mutations.
///
/// Triggering examples must fire and cite exactly their marked lines, non-triggering examples must not
/// fire; then again under mutations (CRLF line ends, no final newline, noise lines before and after with
/// multibyte text, the smallest block size). A rule without a triggering or a non-triggering example
/// fails.
///
/// Failures are reported once per example, each distinct misbehaviour with the mutations it happened
/// under and the marked and cited lines, with their lines in the rule file and their text.
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
    /// - Returns: One failure per misbehaving example (and one for a rule that lacks an example); empty
    ///   when the rule behaves.
    public func verify(_ rule: Rule) -> [Failure] {
        var failures: [Failure] = []
        for (role, examples) in [
            (Failure.Role.triggering, rule.triggeringExamples), (.nonTriggering, rule.nonTriggeringExamples),
        ]
        where examples.isEmpty {
            failures.append(
                Failure(
                    rule: rule.id, file: rule.file, line: 1, role: role, index: 0, artifacts: [],
                    problems: [
                        .init(
                            mutations: [],
                            message: "missing: a rule needs at least one triggering and one non-triggering example",
                            fired: false, expected: [], cited: [])
                    ]))
        }
        var options = ScanOptions()
        options.maxEvidence = 10_000
        let scanner = Scanner(knowledgeBase: knowledgeBase, options: options)
        let mutations = Mutation.allCases.filter { rule.mutationsOptOut[$0.rawValue] == nil }
        for (role, examples) in [
            (Failure.Role.triggering, rule.triggeringExamples), (.nonTriggering, rule.nonTriggeringExamples),
        ] {
            for (index, example) in examples.enumerated() {
                var problems: [Failure.Problem] = []
                for mutation in mutations {
                    guard let problem = check(example, of: rule, role: role, under: mutation, scanner: scanner) else {
                        continue
                    }
                    if let same = problems.firstIndex(where: { $0.sameMisbehaviour(as: problem) }) {
                        problems[same].mutations.append(mutation)
                    } else {
                        problems.append(problem)
                    }
                }
                guard !problems.isEmpty else { continue }
                for index in problems.indices where problems[index].mutations == mutations {
                    problems[index].mutations = []  // under every mutation
                }
                failures.append(
                    Failure(
                        rule: rule.id, file: rule.file, line: example.fileLine, role: role, index: index + 1,
                        artifacts: example.files.map(\.artifact), problems: problems))
            }
        }
        return failures
    }

    /// How `example` misbehaves under `mutation`, if it does.
    private func check(
        _ example: RuleExample, of rule: Rule, role: Failure.Role, under mutation: Mutation, scanner: Scanner
    ) -> Failure.Problem? {
        let mutated = example.files.map { mutate($0, mutation) }
        let report = scanner.scan(
            artifacts: zip(example.files, mutated).map { ($0.artifact, Array($1.content.utf8)) }, name: "example",
            blockSize: mutation == .smallestBlock ? 1 : nil)
        let finding = report.findings.first { $0.rule == rule.id }
        // The cited lines of each file, as lines of the example as written (nil: a noise line).
        func cited(_ finding: Finding) -> [Failure.Line] {
            zip(example.files, mutated).flatMap { file, mutated in
                finding.evidence.filter { $0.entry == file.artifact }.compactMap(\.line).sorted().map { line in
                    let original = mutated.originalLine(line)
                    return Failure.Line(
                        artifact: file.artifact, line: original, fileLine: original.flatMap(file.fileLine),
                        text: original.flatMap(file.text(ofLine:)) ?? mutated.text(ofLine: line))
                }
            }
        }
        switch role {
        case .triggering:
            let expected = example.files.flatMap { file in
                file.markedLines.map {
                    Failure.Line(
                        artifact: file.artifact, line: $0, fileLine: file.fileLine(of: $0),
                        text: file.text(ofLine: $0) ?? "")
                }
            }
            guard let finding else {
                let reason =
                    report.notEvaluated.contains { $0.rule == rule.id }
                    ? " (not evaluated: its artifacts were not read)" : ""
                return .init(
                    mutations: [mutation], message: "did not fire\(reason)", fired: false, expected: expected, cited: []
                )
            }
            let lines = cited(finding)
            guard lines.map(\.place) != expected.map(\.place) else { return nil }
            return .init(
                mutations: [mutation], message: "fired, citing other lines than the marked ones", fired: true,
                expected: expected, cited: lines)
        case .nonTriggering:
            guard let finding else { return nil }
            return .init(
                mutations: [mutation], message: "fired, but a non-triggering example must not", fired: true,
                expected: [], cited: cited(finding))
        }
    }

    /// One file of an example under a mutation: its content and how its lines map back.
    struct Mutated {
        /// The mutated content.
        var content: String
        /// Where noise lines were inserted (the number of lines before them) and how many, if any.
        var noise: (at: Int, count: Int, originalLines: Int)?

        /// The line of the example as written that mutated line `line` is; nil for a noise line.
        func originalLine(_ line: Int) -> Int? {
            guard let noise else { return line }
            if line <= noise.at { return line }
            let shifted = line - noise.count
            return shifted > noise.at && shifted <= noise.originalLines ? shifted : nil
        }

        /// The text of mutated line `line`, without a line end.
        func text(ofLine line: Int) -> String {
            let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
            guard line >= 1, line <= lines.count else { return "" }
            let text = lines[line - 1]
            return String(text.hasSuffix("\r") ? text.dropLast() : text)
        }
    }

    private func mutate(_ file: RuleExample.File, _ mutation: Mutation) -> Mutated {
        let format = knowledgeBase.locator.kind(for: file.artifact)?.format ?? .log
        return Self.apply(mutation, to: file, format: format)
    }

    /// Returns the mutated content and where the noise lines went.
    static func apply(_ mutation: Mutation, to example: RuleExample.File, format: ArtifactKind.Format) -> Mutated {
        let content = example.content
        switch mutation {
        case .none, .smallestBlock:
            return Mutated(content: content)
        case .crlf:
            return Mutated(content: content.replacingOccurrences(of: "\n", with: "\r\n"))
        case .noFinalNewline:
            var trimmed = Substring(content)
            while trimmed.hasSuffix("\n") { trimmed = trimmed.dropLast() }
            return Mutated(content: String(trimmed))
        case .noise:
            let noise: [String]
            switch format {
            case .xml: noise = ["<!-- Übersicht: 設定ファイル, ok -->", "<!-- noise -->"]
            case .properties: noise = ["# Übersicht: 設定ファイル", "unrelated.noise.key=värde"]
            case .httpd, .sshd: noise = ["# Übersicht: 設定ファイル", "# noise"]
            case .log, .text: noise = ["2026-11-20 10:00:00,000 INFO  [main] Übersicht geladen: 設定 ✓", "noise line"]
            case .packages: noise = ["Desired=Unknown/Install/Remove/Purge/Hold", "+++-==============-============"]
            case .certificate: noise = ["# Übersicht: 設定", "subject=CN=noise"]
            }
            var lines = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let originalLines = lines.last == "" ? lines.count - 1 : lines.count
            var insertAt = 0
            if format == .xml, let first = lines.first, first.hasPrefix("<?xml") { insertAt = 1 }
            lines.insert(contentsOf: noise, at: insertAt)
            let trailing = lines.last == "" ? lines.count - 1 : lines.count
            lines.insert(contentsOf: noise, at: trailing)
            return Mutated(
                content: lines.joined(separator: "\n"), noise: (insertAt, noise.count, originalLines))
        }
    }
}
