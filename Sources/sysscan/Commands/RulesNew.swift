import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan rules new`: writes a rule skeleton to fill in.
    struct RulesNew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Write a skeleton rule file that lints clean except for the examples you must fill in.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Argument(help: ArgumentHelp("The new rule's id (UPPER-KEBAB-CASE).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("The rule's category, also the folder it is written to.", valueName: "category"))
        var category: SysScanKit.Category

        @Option(help: ArgumentHelp("The kind of condition the skeleton starts from.", valueName: "kind"))
        var kind: ConditionKind

        func validate() throws {
            guard id.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)*$"#, options: .regularExpression) != nil else {
                throw ValidationError("'\(id)' is not UPPER-KEBAB-CASE.")
            }
        }

        func run() throws {
            let directory = try knowledgeBase.directory()
            let folder = (directory as NSString).appendingPathComponent(category.rawValue)
            let path = (folder as NSString).appendingPathComponent("\(id).yaml")
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("\(path) exists already; not overwritten")
            }
            do {
                try FileHandleOutput.createFolder(folder)
                try FileHandleOutput.write(
                    RuleCatalog.skeleton(id: id, category: category.rawValue, kind: kind.name), to: path)
            } catch {
                throw CommandFailure("cannot write the rule file: \(error)")
            }
            FileHandleOutput.standardOutput(
                "wrote \(path): fill in the examples, then run sysscan rules lint and sysscan rules test\n")
        }
    }
}
