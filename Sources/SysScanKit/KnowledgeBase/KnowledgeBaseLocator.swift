import Foundation

/// Finds the knowledge-base folder when none is named: `$SYSSCAN_KNOWLEDGE_BASE`, then `KnownIssues/`
/// in the current folder or one above it, then `KnownIssues/` beside or above the executable (as in a
/// source checkout, where the binary sits in `.build/release/`).
public enum KnowledgeBaseLocator {
    /// The environment variable that names the knowledge-base folder.
    public static let environmentVariable = "SYSSCAN_KNOWLEDGE_BASE"

    /// Returns the knowledge-base folder to use when none is named.
    ///
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - currentDirectory: The current folder.
    ///   - executable: The path of the running executable.
    /// - Returns: The folder, or nil when none is found.
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String = CommandLine.arguments.first ?? ""
    ) -> String? {
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        for _ in 0..<2 {
            candidates.append(folder.appendingPathComponent("KnownIssues"))
            folder.deleteLastPathComponent()
        }
        var binaryFolder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(binaryFolder.appendingPathComponent("KnownIssues"))
            candidates.append(binaryFolder.appendingPathComponent("share/sysscan/KnownIssues"))
            binaryFolder.deleteLastPathComponent()
        }
        let manifest = KnowledgeBaseLoader.manifestName
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(manifest).path)
        }?.path
    }
}
