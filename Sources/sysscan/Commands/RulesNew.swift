import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan rules new`: writes a rule skeleton to fill in.
    struct RulesNew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract:
                "Write a skeleton rule file to fill in; rules lint fails until its TODO texts and examples are replaced."
        )

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(help: ArgumentHelp("The new rule's id (UPPER-KEBAB-CASE).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("stability, performance or security.", valueName: "category"))
        var category: String

        @Option(
            help: ArgumentHelp(
                "The condition to start from: log, xpath, property, directive, jvm_option or file.",
                valueName: "condition"))
        var condition: String

        func validate() throws {
            guard id.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)*$"#, options: .regularExpression) != nil else {
                throw ValidationError("'\(id)' is not UPPER-KEBAB-CASE.")
            }
            guard SysScanKit.Category(rawValue: category) != nil else {
                throw ValidationError("--category must be stability, performance or security.")
            }
            guard RuleCatalog.skeletonConditions.contains(condition) else {
                throw ValidationError(
                    "--condition must be one of \(RuleCatalog.skeletonConditions.joined(separator: ", ")).")
            }
        }

        func run() throws {
            let directory = try knowledgeBase.directory()
            if let existing = KnowledgeBaseLoader().ruleFiles(in: directory).first(where: {
                (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == id
            }) {
                FileHandleOutput.standardError("sysscan: the rule \(id) exists already: \(existing); not written\n")
                throw ExitCodes.unusableInput
            }
            let folder = (directory as NSString).appendingPathComponent(category)
            let path = (folder as NSString).appendingPathComponent("\(id).yaml")
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try RuleCatalog.skeleton(id: id, category: category, condition: condition).write(
                    toFile: path, atomically: true, encoding: .utf8)
            } catch {
                FileHandleOutput.standardError("sysscan: cannot write \(path): \(error.localizedDescription)\n")
                throw ExitCodes.unusableInput
            }
            FileHandleOutput.standardOutput(
                "wrote \(path): replace its TODO texts, fill in the examples, then run sysscan rules lint and sysscan rules test\n"
            )
        }
    }
}
