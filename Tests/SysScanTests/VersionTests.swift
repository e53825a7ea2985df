import CLibXML2
import Foundation
import Testing

/// `sysscan --version`, and where a knowledge base is found when none is named.
@Suite(.serialized)
struct VersionTests {
    /// The environment of a run that names no knowledge base.
    static func environment(path: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SYSSCAN_KNOWLEDGE_BASE"] = nil
        if let path { environment["PATH"] = path + ":" + (environment["PATH"] ?? "/usr/bin:/bin") }
        return environment
    }

    /// Copies the binary to `prefix/bin/sysscan`.
    static func install(prefix: URL) throws {
        let bin = prefix.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.binary, to: bin.appendingPathComponent("sysscan"))
    }

    /// Runs the binary installed in `prefix` the way a shell runs it from `PATH` (its first argument then is
    /// `sysscan`, not a path), in `folder`.
    static func runInstalled(_ arguments: String, prefix: URL, in folder: URL) throws -> CLI.Result {
        let bin = prefix.appendingPathComponent("bin").path
        return try CLI.run("/bin/sh", ["-c", "sysscan \(arguments)"], environment: environment(path: bin), in: folder)
    }

    static func knowledgeBaseVersion() throws -> String {
        let manifest = try String(contentsOfFile: CLI.knownIssues + "/knowledge-base.yaml", encoding: .utf8)
        let line = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("version:") })
        return line.dropFirst("version:".count).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
    }

    @Test func versionNamesTheKnowledgeBaseAndTheLibrariesItRunsWith() throws {
        let result = try CLI.sysscan(["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.range(of: #"^sysscan \d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(lines)")
        let knowledgeBase = try #require(lines.first { $0.hasPrefix("knowledge base") })
        #expect(knowledgeBase.hasPrefix("knowledge base \(try Self.knowledgeBaseVersion()) ("))
        #expect(knowledgeBase.hasSuffix(" rules): \(CLI.knownIssues)"))
        for library in ["libarchive", "libxml2", "PCRE2", "SQLite"] {
            let line = try #require(lines.first { $0.hasPrefix(library + " ") }, "\(library) missing: \(lines)")
            #expect(line.range(of: #"^\S+ \d+\.\d+(\.\d+)?( \d{4}-\d\d-\d\d)?$"#, options: .regularExpression) != nil)
        }
        #expect(lines.contains("libxml2 \(LIBXML_DOTTED_VERSION)"), "the libxml2 the tests were built with")
        // The libraries' own pkg-config versions: on a system with one version of each, what runs.
        for (module, name) in [("libarchive", "libarchive"), ("libpcre2-8", "PCRE2"), ("sqlite3", "SQLite")] {
            let version = try CLI.run("/usr/bin/pkg-config", ["--modversion", module])
            guard version.status == 0 else { continue }
            let expected = "\(name) \(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(expected): \(lines)")
        }
    }

    @Test func anInstalledBinaryFindsTheKnowledgeBaseInShareSysscanOfItsPrefix() throws {
        let prefix = try CLI.temporaryFolder()
        try Self.install(prefix: prefix)
        let share = prefix.appendingPathComponent("share/sysscan")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try CLI.shell("cp -R '\(CLI.knownIssues)' '\(share.path)/'", in: prefix)
        let elsewhere = try CLI.temporaryFolder()
        let result = try Self.runInstalled("--version", prefix: prefix, in: elsewhere)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(" rules): \(share.path)/KnownIssues\n"), "\(result.stdout)")
        let list = try Self.runInstalled("rules list", prefix: prefix, in: elsewhere)
        #expect(list.status == 0, "\(list.stderr)")
    }

    @Test func withoutAKnowledgeBaseTheMessageListsEveryPlaceItLookedIn() throws {
        let prefix = try CLI.temporaryFolder()
        try Self.install(prefix: prefix)
        let elsewhere = try CLI.temporaryFolder()
        let places = [
            "$SYSSCAN_KNOWLEDGE_BASE (not set)", "\(elsewhere.path)/KnownIssues", "/etc/sysscan/KnownIssues",
            "\(prefix.path)/bin/KnownIssues", "\(prefix.path)/share/sysscan/KnownIssues",
            "/usr/local/share/sysscan/KnownIssues", "/usr/share/sysscan/KnownIssues",
        ]
        let failed = try Self.runInstalled("rules list", prefix: prefix, in: elsewhere)
        #expect(failed.status == 3)
        #expect(failed.stderr.hasPrefix("sysscan: no knowledge base found; name one with --knowledge-base DIR"))
        let version = try Self.runInstalled("--version", prefix: prefix, in: elsewhere)
        #expect(version.status == 0)
        #expect(version.stdout.contains("knowledge base: none found; looked in:\n"))
        for place in places {
            #expect(failed.stderr.contains("\n  \(place)\n"), "\(place) not listed: \(failed.stderr)")
            #expect(version.stdout.contains("\n  \(place)\n"), "\(place) not listed: \(version.stdout)")
        }
    }
}
