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

        @Option(help: ArgumentHelp("stability, performance or security.", valueName: "category"))
        var category: String

        @Option(help: ArgumentHelp("log, xpath, property, directive, jvm_option or file.", valueName: "kind"))
        var kind: String

        func validate() throws {
            guard id.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)*$"#, options: .regularExpression) != nil else {
                throw ValidationError("'\(id)' is not UPPER-KEBAB-CASE.")
            }
            guard SysScanKit.Category(rawValue: category) != nil else {
                throw ValidationError("--category must be stability, performance or security.")
            }
            guard RuleCatalog.skeletonKinds.contains(kind) else {
                throw ValidationError("--kind must be one of \(RuleCatalog.skeletonKinds.joined(separator: ", ")).")
            }
        }

        func run() throws {
            let directory = try knowledgeBase.directory()
            let folder = (directory as NSString).appendingPathComponent(category)
            let path = (folder as NSString).appendingPathComponent("\(id).yaml")
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("\(path) exists already; not overwritten")
            }
            do {
                try FileHandleOutput.createFolder(folder)
                try FileHandleOutput.write(RuleCatalog.skeleton(id: id, category: category, kind: kind), to: path)
            } catch {
                throw CommandFailure("cannot write the rule file: \(error)")
            }
            FileHandleOutput.standardOutput(
                "wrote \(path): fill in the examples, then run sysscan rules lint and sysscan rules test\n")
        }
    }
}
