import ArgumentParser
import Foundation
import SysScanKit

/// The `--knowledge-base` option shared by the commands that read rules.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The knowledge-base folder (default: $SYSSCAN_KNOWLEDGE_BASE, else KnownIssues/ found from here or the binary).",
            valueName: "dir"))
    var knowledgeBase: String?

    /// The knowledge-base folder to use, or a message and exit code 3 when none is found.
    func directory() throws -> String {
        guard let directory = knowledgeBase ?? KnowledgeBaseLocator.defaultDirectory() else {
            FileHandleOutput.standardError(
                "sysscan: no knowledge base found; name one with --knowledge-base DIR or $\(KnowledgeBaseLocator.environmentVariable)\n"
            )
            throw ExitCodes.unusableInput
        }
        return directory
    }

    /// The support policy beside the knowledge base, if there is one; a broken one exits with code 3.
    func policy() throws -> SupportPolicy? {
        let path = (try directory() as NSString).appendingPathComponent(SupportPolicy.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try SupportPolicy.load(path: path)
        } catch {
            FileHandleOutput.standardError("sysscan: \(error)\n")
            throw ExitCodes.unusableInput
        }
    }

    /// Loads and compiles the knowledge base, or prints why it cannot and exits with code 3.
    ///
    /// A rule file with errors is left out, with a warning on standard error for each (a scan's report
    /// lists them as `rule-file-skipped` warnings too); with `strict` it is fatal, as errors in
    /// `knowledge-base.yaml` always are.
    ///
    /// - Parameter strict: Whether a rule file with errors stops the command.
    func compiled(strict: Bool = false) throws -> CompiledKnowledgeBase {
        let directory = try directory()
        do {
            let loaded = try KnowledgeBaseLoader().load(directory: directory, skippingBadRuleFiles: !strict)
            for skipped in loaded.skippedRuleFiles {
                FileHandleOutput.standardError("sysscan: warning: \(skipped.summary)\n")
            }
            return try RuleCompiler.compile(loaded)
        } catch {
            FileHandleOutput.standardError("sysscan: \(error)\n")
            throw ExitCodes.unusableInput
        }
    }
}
