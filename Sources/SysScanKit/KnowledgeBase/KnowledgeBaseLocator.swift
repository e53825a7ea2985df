import Foundation

/// Finds the knowledge-base folder when none is named: `$SYSSCAN_KNOWLEDGE_BASE`, then `KnownIssues/`
/// in the current folder or one above it, then `/etc/sysscan/KnownIssues` (a site's own), then
/// `KnownIssues/` or `share/sysscan/KnownIssues/` beside or above the executable (a source checkout,
/// where the binary sits in `.build/release/`; an installed binary, `/usr/local/bin/sysscan` finding
/// `/usr/local/share/sysscan/KnownIssues`), then `/usr/local/share/sysscan/KnownIssues` and
/// `/usr/share/sysscan/KnownIssues`.
public enum KnowledgeBaseLocator {
    /// The environment variable that names the knowledge-base folder.
    public static let environmentVariable = "SYSSCAN_KNOWLEDGE_BASE"

    /// The site's own knowledge base, tried before the one installed with the executable.
    public static let siteDirectory = "/etc/sysscan/KnownIssues"

    /// The installed places, tried last.
    public static let systemDirectories = ["/usr/local/share/sysscan/KnownIssues", "/usr/share/sysscan/KnownIssues"]

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
        executable: String = runningExecutable
    ) -> String? {
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        let manifest = KnowledgeBaseLoader.manifestName
        return candidates(currentDirectory: currentDirectory, executable: executable).first {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(manifest))
        }
    }

    /// Every folder `defaultDirectory` looks in after the environment variable, in order: the first that
    /// holds `knowledge-base.yaml` is used.
    ///
    /// - Parameters:
    ///   - currentDirectory: The current folder.
    ///   - executable: The path of the running executable.
    /// - Returns: The folders' paths, each once.
    public static func candidates(
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String = runningExecutable
    ) -> [String] {
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        for _ in 0..<2 {
            candidates.append(folder.appendingPathComponent("KnownIssues"))
            folder.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: siteDirectory))
        var binaryFolder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(binaryFolder.appendingPathComponent("KnownIssues"))
            candidates.append(binaryFolder.appendingPathComponent("share/sysscan/KnownIssues"))
            if binaryFolder.path == "/" { break }
            binaryFolder.deleteLastPathComponent()
        }
        candidates += systemDirectories.map { URL(fileURLWithPath: $0) }
        var seen: Set<String> = []
        return candidates.map(\.standardizedFileURL.path).filter { seen.insert($0).inserted }
    }

    /// The path of the running executable, from `/proc/self/exe`: the program name a shell passes when it
    /// finds the program through `PATH` (`sysscan`) says nothing of where it is.
    ///
    /// Elsewhere, the first argument.
    public static var runningExecutable: String {
        let link = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return link == "/proc/self/exe" ? CommandLine.arguments.first ?? "" : link
    }
}
