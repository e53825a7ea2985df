import Foundation
import StreamMatch

/// Checks a knowledge-base folder the way a maintainer needs before shipping: everything the loader
/// rejects, plus the problems in `errorsWhenLinting` (rules without examples or references, messages
/// with placeholders nothing fills, texts of the skeleton not filled in, rules in another category's
/// folder: errors here, warnings when scanning), deprecated rules without a successor, regexes the
/// prefilter cannot use and regexes with nested quantifiers (warnings).
///
/// `sysscan rules lint` and the test suite both use it.
public struct KnowledgeBaseLinter {
    /// Codes that are warnings when a knowledge base loads for a scan (the rule still runs) and errors
    /// for a maintainer, who must not ship them.
    public static let errorsWhenLinting: Set<Diagnostic.Code> = [
        .missingExamples, .missingReferences, .unknownPlaceholder, .unfinished, .categoryFolder,
    ]

    /// Creates a linter.
    public init() {}

    /// Lints the knowledge base in `directory`.
    ///
    /// - Parameter directory: The knowledge-base folder.
    /// - Returns: Every diagnostic, errors and warnings, sorted by file and line.
    /// - Throws: `KnowledgeBaseError.notFound` or `.unreadable` when the folder cannot be read at all.
    public func lint(directory: String) throws(KnowledgeBaseError) -> [Diagnostic] {
        let outcome = try KnowledgeBaseLoader().inspect(directory: directory)
        var diagnostics = outcome.diagnostics.map { diagnostic -> Diagnostic in
            var upgraded = diagnostic
            if Self.errorsWhenLinting.contains(diagnostic.code) { upgraded.level = .error }
            return upgraded
        }
        if let knowledgeBase = outcome.knowledgeBase, let recorded = knowledgeBase.recordedDigest,
            recorded != knowledgeBase.digest
        {
            let manifest = (directory as NSString).appendingPathComponent(KnowledgeBaseLoader.manifestName)
            diagnostics.append(
                Diagnostic(
                    .versionNotRaised, .warning, file: manifest, line: Self.line(of: "rules_digest:", in: manifest),
                    column: 1,
                    "the rule files changed since version \(knowledgeBase.version) recorded 'rules_digest: \(recorded)' "
                        + "(they now give \(knowledgeBase.digest)): raise 'version' and record "
                        + "'rules_digest: \(knowledgeBase.digest)'"))
        }
        if let knowledgeBase = outcome.knowledgeBase {
            for rule in knowledgeBase.rules {
                for leaf in rule.condition.leaves {
                    guard case let .log(condition) = leaf else { continue }
                    for regex in [condition.regex] + (condition.followedBy.map { [$0.regex] } ?? []) {
                        let pattern = Pattern(regex, caseInsensitive: condition.ignoreCase)
                        guard let set = try? PatternSet([pattern]) else { continue }
                        if pattern.hasNestedQuantifier {
                            diagnostics.append(
                                Diagnostic(
                                    .nestedQuantifier, .warning, file: rule.file,
                                    line: Self.line(of: regex, in: rule.file), column: 1,
                                    "regex '\(regex)' repeats a group that holds an unbounded quantifier: it can backtrack catastrophically on a line that almost matches; make the inner or outer quantifier possessive, the group atomic, or the repetition bounded"
                                ))
                        }
                        if !set.unfiltered.isEmpty {
                            diagnostics.append(
                                Diagnostic(
                                    .noPrefilterLiteral, .warning, file: rule.file,
                                    line: Self.line(of: regex, in: rule.file), column: 1,
                                    "regex '\(regex)' has no literal of 4 bytes or more that every match contains: it is run on every line"
                                ))
                        }
                    }
                }
            }
        }
        return diagnostics.sorted {
            ($0.file, $0.line, $0.column, $0.code.rawValue) < ($1.file, $1.line, $1.column, $1.code.rawValue)
        }
    }

    /// The line of a rule file that holds `text` (1 when not found).
    static func line(of text: String, in file: String) -> Int {
        guard let content = try? String(contentsOfFile: file, encoding: .utf8) else { return 1 }
        let needle = String(text.prefix(30))
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(needle) {
            return index + 1
        }
        return 1
    }
}
