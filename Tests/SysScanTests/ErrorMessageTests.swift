import Foundation
import Testing

/// An error reaches the user as one line after `sysscan: ` that names the file and the system's reason,
/// with exit code 3; never Foundation's or Swift's own text ("The operation could not be completed",
/// `ExitCode(rawValue: 3)`).
struct ErrorMessageTests {
    /// A folder that cannot exist: nothing can be created below /proc, not even by root.
    static let missing = "/proc/sysscan-missing"

    @Test(arguments: [
        (["spool", "run", "\(missing)/spool", "--once"], "cannot create the spool folder: \(missing): "),
        (
            ["rules", "new", "NEW-RULE", "--category", "security", "--condition", "log", "--knowledge-base", missing],
            "cannot write the rule file: \(missing): "
        ),
        (["scan", "--tuning", "\(missing)/tuning.yaml"], "\(missing)/tuning.yaml: "),
        (["grep", "-f", "\(missing)/patterns.txt"], "cannot read the pattern file \(missing)/patterns.txt: "),
    ])
    func anErrorNamesTheFileAndTheSystemsReason(arguments: [String], message: String) throws {
        let upload = CLI.sample("healthy-node").path
        let result = try CLI.sysscan(arguments + (["scan", "grep"].contains(arguments[0]) ? [upload] : []))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("sysscan: "), "\(result.stderr)")
        #expect(result.stderr.contains(message + "No such file or directory\n"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        for foreign in ["could not be completed", "ExitCode", "Error Domain", "Error:"] {
            #expect(!result.stderr.contains(foreign), "\(result.stderr)")
        }
    }
}
