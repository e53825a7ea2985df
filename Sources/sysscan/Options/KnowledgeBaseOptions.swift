import ArgumentParser
import Foundation
import SysScanKit

/// The `--knowledge-base` option shared by the commands that read rules.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The knowledge-base folder (default: $SYSSCAN_KNOWLEDGE_BASE, else found as 'sysscan --version' shows).",
            valueName: "dir"),
        completion: .directory)
    var knowledgeBase: String?

    /// The knowledge-base folder to use.
    ///
    /// - Throws: `CommandFailure` when none is named and none is found.
    func directory() throws(CommandFailure) -> String {
        guard let directory = knowledgeBase ?? KnowledgeBaseLocator.defaultDirectory() else {
            let places = VersionText.searchedPlaces().map { "\n  \($0)" }.joined()
            throw CommandFailure(
                "no knowledge base found; name one with --knowledge-base DIR or $\(KnowledgeBaseLocator.environmentVariable), "
                    + "or install one in \(KnowledgeBaseLocator.systemDirectories[0]). Looked in:\(places)")
        }
        return directory
    }

    /// The support policy beside the knowledge base, if there is one.
    ///
    /// - Throws: `CommandFailure` without a knowledge base, `KnowledgeBaseError` for a broken policy.
    func policy() throws -> SupportPolicy? {
        let path = (try directory() as NSString).appendingPathComponent(SupportPolicy.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try SupportPolicy.load(path: path)
    }

    /// Loads and compiles the knowledge base.
    ///
    /// A rule file with errors is left out, with a warning on standard error for each (a scan's report
    /// lists them as `rule-file-skipped` warnings too); with `strict` it is fatal, as errors in
    /// `knowledge-base.yaml` always are.
    ///
    /// - Parameter strict: Whether a rule file with errors stops the command.
    /// - Throws: `CommandFailure` without a knowledge base, `KnowledgeBaseError` naming every problem of its files.
    func compiled(strict: Bool = false) throws -> CompiledKnowledgeBase {
        let loaded = try KnowledgeBaseLoader().load(directory: try directory(), skippingBadRuleFiles: !strict)
        for skipped in loaded.skippedRuleFiles {
            FileHandleOutput.standardError("sysscan: warning: \(skipped.summary)\n")
        }
        return try RuleCompiler.compile(loaded)
    }
}
