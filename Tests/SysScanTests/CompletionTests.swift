import Foundation
import Testing

/// Shell completion as bash runs it: the generated script is sourced and its completion function called
/// the way bash calls it on TAB, in a folder of files to complete.
@Suite(.serialized)
struct CompletionTests {
    /// The folder the completions run in, and the bash completion script.
    static let fixture: (folder: URL, script: URL) = {
        do {
            let folder = try CLI.temporaryFolder()
            try CLI.write(
                [
                    "uploads/healthy-node/var/log/messages": [], "uploads/history.sqlite": [], "tuning.yaml": [],
                    "patterns.txt": [], "spool/failed/C1234567_node-01/upload.tgz": [],
                ], below: folder)
            let script = folder.appendingPathComponent("sysscan.bash")
            let generated = try CLI.sysscan(["--generate-completion-script", "bash"])
            try Data(generated.stdout.utf8).write(to: script)
            return (folder, script)
        } catch {
            fatalError("cannot set up the completion fixture: \(error)")
        }
    }()

    /// The words bash offers for the last of `words` (the command line up to the cursor, after `sysscan`).
    static func complete(_ words: [String]) throws -> [String] {
        let program = """
            source "$SCRIPT" || exit 9
            COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _sysscan "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        var environment = ProcessInfo.processInfo.environment
        environment["SCRIPT"] = fixture.script.path
        environment["SYSSCAN_KNOWLEDGE_BASE"] = CLI.knownIssues
        let result = try CLI.run(
            "/bin/bash", ["-c", program, "bash", CLI.binary.path] + words, environment: environment,
            in: fixture.folder)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func bashFallsBackToFileNamesWhereTheScriptOffersNothing() throws {
        let result = try CLI.run(
            "/bin/bash", ["-c", "source \"$0\" && complete -p sysscan", Self.fixture.script.path])
        #expect(result.stdout.contains("complete -o default "), "\(result.stdout)")
    }

    @Test(arguments: [
        (["scan", "uploads/heal"], ["uploads/healthy-node"]), (["uploads/heal"], []),
        (["scan", "x", "--db", "uploads/hi"], ["uploads/history.sqlite"]),
        (["history", "--db", "uploads/hi"], ["uploads/history.sqlite"]),
        (["scan", "x", "-o", "uploads/hi"], ["uploads/history.sqlite"]),
        (["scan", "x", "--output-dir", "upl"], ["uploads"]), (["scan", "x", "--knowledge-base", "upl"], ["uploads"]),
        (["scan", "x", "--tuning", "tun"], ["tuning.yaml"]), (["grep", "-f", "pat"], ["patterns.txt"]),
        (["grep", "-e", "x", "uploads/heal"], ["uploads/healthy-node"]), (["spool", "run", "spo"], ["spool"]),
        (["digest", "uploads/heal"], ["uploads/healthy-node"]),
    ])
    func filesAndFoldersAreCompleted(words: [String], expected: [String]) throws {
        #expect(try Self.complete(words) == expected, "\(words)")
    }

    @Test(arguments: [
        (["scan", "x", "--format", ""], ["text", "json", "md", "html"]),
        (["show", "1", "--format", ""], ["text", "json", "md", "html"]),
        (["history", "--format", ""], ["text", "json"]), (["diff", "1", "--format", ""], ["text", "json"]),
        (["scan", "x", "--fail-on", "h"], ["high"]),
        (["rules", "list", "--category", ""], ["stability", "performance", "security"]),
        (["rules", "new", "X", "--condition", "x"], ["xpath"]),
        (["scan", "x", "--plan", ""], ["gold", "gold-plus", "priority", "silver"]),
        (["cases", "C1234567", "--plan", "go"], ["gold", "gold-plus"]),
        (["rules", "explain", "JVM-OOM-J"], ["JVM-OOM-JAVA-HEAP"]),
        (["rules", "test", "TOMCAT-AJP"], ["TOMCAT-AJP-NO-SECRET"]),
        (["spool", "retry", "spool", ""], ["C1234567_node-01"]),
    ])
    func valuesAreCompleted(words: [String], expected: [String]) throws {
        #expect(try Self.complete(words) == expected, "\(words)")
    }

    @Test func ruleIdsComeFromTheKnowledgeBaseTheCommandLineNames() throws {
        let kb = try CLI.temporaryFolder()
        try CLI.write(
            ["knowledge-base.yaml": Array("version: \"1\"\n".utf8), "stability/ONLY-RULE-HERE.yaml": []], below: kb)
        #expect(try Self.complete(["rules", "explain", "--knowledge-base", kb.path, ""]) == ["ONLY-RULE-HERE"])
    }
}
