import Foundation
import Testing

/// `sysscan grep` against GNU grep on the real Loghub logs and the shared benchmark pattern sets.
@Suite(.serialized)
struct GrepTests {
    /// `../shared` beside the checkout (the benchmark patterns and the real logs), when present.
    static let shared = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let sharedAvailable = FileManager.default.fileExists(
        atPath: shared.appendingPathComponent("bench/patterns").path)

    /// The 16 Loghub samples concatenated, CRLF turned into LF (as the benchmark corpus does).
    static func loghubCorpus() throws -> URL {
        let folder = try CLI.temporaryFolder()
        try CLI.shell("cat '\(shared.path)'/corpus/loghub/*_2k.log | sed 's/\\r$//' > loghub.log", in: folder)
        return folder.appendingPathComponent("loghub.log")
    }

    @Test(
        .enabled(
            if: sharedAvailable, "skipped: ../shared (benchmark patterns and Loghub logs) not found beside the checkout"
        ),
        arguments: [("regex-100.txt", 100, false), ("kb-regex-1000.txt", 120, false), ("literal-100.txt", 100, true)])
    func countPerPatternEqualsGrepOnTheRealLogs(set: String, take: Int, fixed: Bool) throws {
        let corpus = try Self.loghubCorpus()
        let all = try String(contentsOf: Self.shared.appendingPathComponent("bench/patterns/\(set)"), encoding: .utf8)
        let patterns = all.split(separator: "\n").prefix(take).map(String.init)
        let file = corpus.deletingLastPathComponent().appendingPathComponent("patterns.txt")
        try (patterns.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let ours = try CLI.sysscan(
            ["grep", "--count-per-pattern", "-f", file.path, corpus.path] + (fixed ? ["-F"] : []))
        #expect(ours.status == 0, "\(ours.stderr)")
        let lines = ours.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == patterns.count)
        var mismatches: [String] = []
        for (index, pattern) in patterns.enumerated() {
            let grep = try CLI.run(
                "/usr/bin/env", ["LC_ALL=C", "grep", "-c", fixed ? "-F" : "-P", "-e", pattern, corpus.path])
            let expected = grep.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if index < lines.count, lines[index] != "\(expected)\t\(pattern)" {
                mismatches.append(
                    "\(pattern): ours \(lines[index].split(separator: "\t").first ?? ""), grep \(expected)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func grepSearchesArchivesEntryByEntryAndCountsPerArtifact() throws {
        let root = try CLI.temporaryFolder()
        try CLI.write(
            ["logs/a.log": Array("x ERROR one\nfine\nERROR two\n".utf8), "logs/b.log": Array("ERROR three\n".utf8)],
            below: root)
        try CLI.shell("bsdtar -czf up.tgz logs", in: root)
        let counts = try CLI.sysscan(["grep", "-c", "-e", "ERROR", root.appendingPathComponent("up.tgz").path])
        #expect(counts.status == 0)
        #expect(counts.stdout.split(separator: "\n").sorted() == ["up.tgz!/logs/a.log:2", "up.tgz!/logs/b.log:1"])
        let lines = try CLI.sysscan(["grep", "-n", "-e", "ERROR t", root.appendingPathComponent("logs").path])
        #expect(lines.stdout.split(separator: "\n").sorted() == ["logs/a.log:3:ERROR two", "logs/b.log:1:ERROR three"])
        let none = try CLI.sysscan(["grep", "-c", "-e", "absent", root.appendingPathComponent("logs/a.log").path])
        #expect(none.status == 1)
        #expect(none.stdout == "0\n")
    }

    @Test func jsonGivesCountsFirstLinesAndNamedCaptures() throws {
        let root = try CLI.temporaryFolder()
        try CLI.write(
            [
                "gc.log": Array(
                    "[1.0s] GC(1) Pause Full (Allocation Failure) 1234.5ms\n[2.0s] GC(2) Pause Young 3.1ms\n".utf8)
            ], below: root)
        let result = try CLI.sysscan([
            "grep", "--json", "-e", #"Pause Full \((?<cause>[^)]+)\) (?<ms>[\d.]+)ms"#, "-e", "Pause Young",
            root.appendingPathComponent("gc.log").path,
        ])
        let json = try result.json()
        let patterns = try #require(json["patterns"] as? [[String: Any]])
        #expect(patterns.map { $0["count"] as? Int } == [1, 1])
        let first = try #require((patterns[0]["first"] as? [[String: Any]])?.first)
        #expect(first["line"] as? Int == 1)
        #expect(first["offset"] as? Int == 0)
        #expect(first["captures"] as? [String: String] == ["cause": "Allocation Failure", "ms": "1234.5"])
        #expect(json["matching_lines"] as? Int == 2)
    }

    @Test func aPatternFileWithCRLFLineEndsGivesOnePatternALine() throws {
        let root = try CLI.temporaryFolder()
        try CLI.write(
            ["p.txt": Array("ERROR one\r\nfine\r\n".utf8), "a.log": Array("x ERROR one\nfine\nERROR two\n".utf8)],
            below: root)
        let result = try CLI.sysscan(
            [
                "grep", "--count-per-pattern", "-f", root.appendingPathComponent("p.txt").path,
                root.appendingPathComponent("a.log").path,
            ])
        #expect(result.status == 0)
        #expect(result.stdout == "1\tERROR one\n1\tfine\n")
    }

    @Test func anInvalidPatternNamesItsNumberAndExitsWith3() throws {
        let result = try CLI.sysscan(["grep", "-e", "fine", "-e", "broken(", "/dev/null"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("pattern 2: invalid regular expression 'broken('"))
    }

    /// Long lines overflowed PCRE2's default JIT stack and were silently counted as no match: `grep -c -P`
    /// counted 3 where this counted 1.
    @Test func aLongLineThatOverflowsTheJITStackIsCountedAsGrepCountsIt() throws {
        let folder = try CLI.temporaryFolder()
        var lines = [String(repeating: "ab", count: 50), "abc"]
        lines += [200_000, 800_000].map { length in String((0..<length).map { $0 % 3 == 0 ? "b" : "a" }) }
        try CLI.write(["long.txt": Array((lines.joined(separator: "\n") + "\n").utf8)], below: folder)
        let path = folder.appendingPathComponent("long.txt").path
        let pattern = "^(?:(a)|b)*$"
        let ours = try CLI.sysscan(["grep", "-c", "-e", pattern, path])
        let grep = try CLI.run("/usr/bin/env", ["LC_ALL=C", "grep", "-c", "-P", "-e", pattern, path])
        #expect(grep.stdout == "3\n")
        #expect(ours.stdout == grep.stdout)
        #expect(ours.stderr.isEmpty)
    }

    /// A pattern that backtracks catastrophically is a warning on stderr naming it and its first line,
    /// in bounded time; it is never a silent no-match.
    @Test func aCatastrophicPatternIsAWarningNamingThePatternAndLine() throws {
        let folder = try CLI.temporaryFolder()
        let text = "ok\n" + String(repeating: String(repeating: "a", count: 50_000) + "!\n", count: 100)
        try CLI.write(["hostile.txt": Array(text.utf8)], below: folder)
        let path = folder.appendingPathComponent("hostile.txt").path
        let result = try CLI.sysscan(["grep", "-c", "-e", "(a+)+$", path])
        #expect(result.stdout == "0\n")
        #expect(
            result.stderr
                == "sysscan grep: warning: \(path): pattern '(a+)+$' could not be decided within its match budget on line 2 and 99 more lines; those lines were not counted\n"
        )
    }
}
