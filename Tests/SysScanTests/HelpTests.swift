import Foundation
import Testing

/// The help texts: paragraphs that wrap to any terminal, value lists in one style, the environment named.
struct HelpTests {
    static let commands = [
        "", "scan", "spool", "spool run", "spool retry", "history", "show", "diff", "cases", "grep", "rules",
        "rules lint", "rules test", "rules list", "rules explain", "rules new", "digest",
    ]

    static func help(_ command: String, columns: Int = 100) throws -> String {
        let arguments = command.split(separator: " ").map(String.init) + ["--help"]
        let result = try CLI.sysscan(arguments, environment: ["COLUMNS": "\(columns)"])
        #expect(result.status == 0, "\(command): \(result.stderr)")
        return result.stdout
    }

    /// A discussion is wrapped by the help printer to the terminal's width; a line break written inside a
    /// paragraph would stay and leave short lines at any other width.
    ///
    /// Only a list (lines after the first indented) may span several lines on a terminal wide enough for
    /// every paragraph.
    @Test(arguments: commands)
    func discussionParagraphsHaveNoHardLineBreaks(command: String) throws {
        let text = try Self.help(command, columns: 1000)
        let discussion = text.components(separatedBy: "\nUSAGE:").first ?? ""
        for paragraph in discussion.components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n")
            #expect(
                lines.dropFirst().allSatisfy { $0.hasPrefix("  ") },
                "'sysscan \(command) --help' breaks a paragraph by hand:\n\(paragraph)")
        }
    }

    @Test func diffSaysWhatItsScanIdsAre() throws {
        let text = try Self.help("diff")
        #expect(!text.contains("[SCAN_A] SCAN_B"))
        #expect(
            text.contains(
                "  <scan-id>               Two scans to compare, older first; or one, compared with the previous"))
    }

    @Test(arguments: [
        ("scan", "--format"), ("scan", "--fail-on"), ("show", "--format"), ("history", "--format"),
        ("diff", "--format"),
        ("rules list", "--category"), ("rules new", "--category"), ("rules new", "--condition"),
    ])
    func valueListsAreInOneStyle(command: String, option: String) throws {
        let text = try Self.help(command, columns: 1000)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("  \(option) ") })
        #expect(line.contains("(values: "), "\(command) \(option): \(line)")
    }

    @Test func theRootHelpNamesTheEnvironmentVariables() throws {
        let text = try Self.help("")
        for variable in ["SYSSCAN_KNOWLEDGE_BASE", "SYSSCAN_TUNING", "NO_COLOR"] {
            #expect(text.contains("\n  \(variable) "), "\(variable) is not named")
        }
    }

    /// The text report is coloured on a terminal (`script` gives the scan one), unless `NO_COLOR` is set
    /// to something: an empty `NO_COLOR` does not count (https://no-color.org).
    @Test(arguments: [(nil, true), ("1", false), ("", true)] as [(String?, Bool)])
    func colourOnATerminalFollowsNoColor(noColor: String?, coloured: Bool) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SYSSCAN_KNOWLEDGE_BASE"] = CLI.knownIssues
        environment["TERM"] = "xterm"
        environment["NO_COLOR"] = noColor
        let command = "'\(CLI.binary.path)' scan --quiet '\(CLI.sample("appserver-node").path)'"
        let result = try CLI.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("JVM-OOM-JAVA-HEAP"))
        #expect(result.stdout.contains("\u{1B}[") == coloured, "NO_COLOR=\(noColor ?? "(unset)")")
    }
}
