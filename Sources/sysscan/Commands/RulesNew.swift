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

        @Option(help: ArgumentHelp("The rule's category, also the folder it is written to.", valueName: "category"))
        var category: SysScanKit.Category

        @Option(
            help: ArgumentHelp(
                "The condition the skeleton starts from. (values: \(RuleCatalog.skeletonConditions.joined(separator: ", ")))",
                valueName: "condition"),
            completion: .list(RuleCatalog.skeletonConditions))
        var condition: String

        func validate() throws {
            guard id.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)*$"#, options: .regularExpression) != nil else {
                throw ValidationError("'\(id)' is not UPPER-KEBAB-CASE.")
            }
            guard RuleCatalog.skeletonConditions.contains(condition) else {
                throw ValidationError(
                    "--condition must be one of \(RuleCatalog.skeletonConditions.joined(separator: ", ")).")
            }
        }

        func run() throws {
            let directory = try knowledgeBase.directory()
            let folder = (directory as NSString).appendingPathComponent(category.rawValue)
            let path = (folder as NSString).appendingPathComponent("\(id).yaml")
            if let existing = KnowledgeBaseLoader().ruleFiles(in: directory).first(where: {
                (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == id
            }) {
                throw CommandFailure("the rule \(id) exists already: \(existing); not written")
            }
            do {
                try FileHandleOutput.createFolder(folder)
                try FileHandleOutput.write(
                    RuleCatalog.skeleton(id: id, category: category.rawValue, condition: condition), to: path)
            } catch {
                throw CommandFailure("cannot write the rule file: \(error)")
            }
            FileHandleOutput.standardOutput(
                "wrote \(path): replace its TODO texts, fill in the examples, then run sysscan rules lint and sysscan rules test\n"
            )
        }
    }
}
