import Foundation
import SysScanKit

/// What `sysscan --version` prints: the tool's version, the knowledge base it would use (its version and
/// path, or every place it looked) and the C libraries it runs with.
enum VersionText {
    static func render() -> String {
        var lines = ["sysscan \(SysScanVersion.current)"]
        if let directory = KnowledgeBaseLocator.defaultDirectory() {
            do {
                let knowledgeBase = try KnowledgeBaseLoader().load(directory: directory)
                lines.append(
                    "knowledge base \(knowledgeBase.version) (\(knowledgeBase.rules.count) rules): \(directory)")
            } catch {
                let reason = error.description.split(separator: "\n").first.map(String.init) ?? ""
                lines.append("knowledge base: " + (reason.contains(directory) ? reason : "\(directory): \(reason)"))
            }
        } else {
            lines.append("knowledge base: none found; looked in:")
            lines += searchedPlaces().map { "  \($0)" }
        }
        lines += SysScanVersion.libraries.map { "\($0.name) \($0.version)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every place a knowledge base is looked for when none is named, in order, the environment variable first.
    static func searchedPlaces() -> [String] {
        ["$\(KnowledgeBaseLocator.environmentVariable) (not set)"] + KnowledgeBaseLocator.candidates()
    }
}
