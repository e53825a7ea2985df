import Foundation
import Testing

@testable import SysScanKit

/// One golden file per diagnostic code: `Golden/lint/KBnnn.yaml` is a rule file with that mistake and
/// `KBnnn.out` what `rules lint` must print for it (paths relative to the knowledge base); the
/// knowledge base's manifest is `KBnnn.manifest.yaml` when there is one.
struct LintGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden/lint")
    static let manifest = """
        version: "golden"
        kinds:
          - { name: tomcat-server-xml, format: xml, paths: ["**/conf/server.xml"] }
          - { name: app-log, format: log, paths: ["*.log"] }
        """

    /// The folder a golden input is placed in, when not `rules/`.
    static let folders = ["KB019": "stability"]

    static let codes = Diagnostic.Code.allCases.map(\.rawValue).filter { $0 != Diagnostic.Code.tuning.rawValue }

    @Test(arguments: codes)
    func lintOutputMatchesTheGoldenFile(code: String) throws {
        let input = Self.folder.appendingPathComponent("\(code).yaml")
        let text = try String(contentsOf: input, encoding: .utf8)
        let folder = Self.folders[code] ?? "rules"
        let manifest = Self.folder.appendingPathComponent("\(code).manifest.yaml")
        var files = [
            "knowledge-base.yaml": (try? String(contentsOf: manifest, encoding: .utf8)) ?? Self.manifest,
            "\(folder)/\(code).yaml": text,
        ]
        if code == Diagnostic.Code.duplicateId.rawValue { files["more/\(code).yaml"] = text }
        let kb = try Fixtures.folder(files)
        let diagnostics = try KnowledgeBaseLinter().lint(directory: kb.path)
        let rendered = diagnostics.map { $0.description.replacingOccurrences(of: kb.path + "/", with: "") + "\n" }
            .joined()
        try GoldenFile.expect(rendered, matches: Self.folder.appendingPathComponent("\(code).out"))
        #expect(diagnostics.contains { $0.code.rawValue == code }, "the golden input must produce its own code")
    }

    @Test func aTuningFileWithAMistakeNamesTheFileLineAndKey() throws {
        let folder = try Fixtures.folder(["tuning.yaml": "tuning:\n  - rule: X\n    action: mute\n    reason: noisy\n"])
        let path = folder.appendingPathComponent("tuning.yaml").path
        #expect {
            try Tuning.load(path: path)
        } throws: { error in
            guard case let .invalid(diagnostics) = error as? KnowledgeBaseError else { return false }
            return diagnostics.first?.description
                == "\(path):3:13: error[KB004]: 'tuning[].action' is 'mute'; expected suppress | severity"
        }
    }
}
