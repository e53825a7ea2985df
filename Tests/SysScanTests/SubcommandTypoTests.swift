import Foundation
import Testing

/// A mistyped subcommand is a usage error that names the nearest subcommand, not a scan of a missing file.
struct SubcommandTypoTests {
    @Test(arguments: [
        ("scna x.tgz", "scna", "scan", "sysscan"), ("digset upload.tgz", "digset", "digest", "sysscan"),
        ("rules lnit", "lnit", "lint", "sysscan rules"), ("spool rety failed-upload", "rety", "retry", "sysscan spool"),
    ])
    func aMistypedSubcommandSuggestsTheNearestAndExitsWith2(
        arguments: String, word: String, suggestion: String, command: String
    ) throws {
        let result = try CLI.sysscan(arguments.split(separator: " ").map(String.init))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: Unknown subcommand '\(word)'. Did you mean '\(suggestion)'?\n"))
        #expect(result.stderr.contains("See '\(command) --help' for more information."), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aFileWhoseNameLooksLikeAMistypedSubcommandIsStillScanned() throws {
        let folder = try CLI.temporaryFolder()
        try CLI.write(["scna": Array("some text\n".utf8)], below: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["SYSSCAN_KNOWLEDGE_BASE"] = CLI.knownIssues
        let result = try CLI.run(CLI.binary.path, ["scna"], environment: environment, in: folder)
        #expect(result.status == 4, "a one-file upload of no known kind: nothing checked; \(result.stderr)")
    }

    @Test func aMissingUploadFarFromEverySubcommandIsStillAMissingUpload() throws {
        let result = try CLI.sysscan(["missing-upload.tgz"])
        #expect(result.status == 3)
        #expect(result.stderr == "sysscan: missing-upload.tgz: no such file or folder\n")
    }
}
