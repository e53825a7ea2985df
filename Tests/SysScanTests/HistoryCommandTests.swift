import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `history`, `show`, `diff` and `cases`: they read the store and never write it.
@Suite(.serialized)
struct HistoryCommandTests {
    typealias H = SpoolHarness

    /// A store with: scan 1 and 2 of system alpha (case C1000001), scan 3 of system beta, scan 4 failed.
    static func store() throws -> (root: URL, db: String) {
        let root = try CLI.temporaryFolder()
        let db = root.appendingPathComponent("history.sqlite").path
        let uploads: [(String, String)] = [
            (
                "alpha-1",
                H.oom + "2026-11-20 10:20:00,000 SEVERE [x] java.lang.OutOfMemoryError: GC overhead limit exceeded\n"
            ),
            ("alpha-2", H.metaspace), ("beta-1", H.oom),
        ]
        for (name, log) in uploads {
            let system = String(name.prefix(while: { $0 != "-" }))
            try CLI.write(
                ["logs/catalina.out": Array(log.utf8), "sysscan.properties": Array("system=\(system)\n".utf8)],
                below: root.appendingPathComponent(name))
            let scan = try CLI.sysscan([
                "scan", root.appendingPathComponent(name).path, "--db", db, "--case", "C1000001", "--fail-on", "none",
            ])
            #expect(scan.status == 0, "\(scan.stderr)")
        }
        let spool = try H.spool()
        try H.drop(Data("junk\n".utf8), as: "C1000001_alpha_2026-11-20.zip", in: spool)
        try H.once(spool, ["--db", db])
        return (root, db)
    }

    @Test func aMissingOrForeignFileIsAnErrorAndNothingIsCreated() throws {
        let folder = try CLI.temporaryFolder()
        let missing = folder.appendingPathComponent("missing.sqlite").path
        let foreign = folder.appendingPathComponent("passwd")
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: foreign)
        for command in [["history"], ["show", "1"], ["diff", "1", "2"], ["cases", "C1234567"]] {
            let first = try CLI.sysscan(command + ["--db", missing])
            #expect(first.status == 3, "\(command)")
            #expect(first.stderr.contains("missing.sqlite: no such file"), "\(command): \(first.stderr)")
            let second = try CLI.sysscan(command + ["--db", foreign.path])
            #expect(second.status == 3, "\(command)")
            #expect(
                second.stderr.contains("passwd") && second.stderr.contains("not a database"),
                "\(command): \(second.stderr)")
            #expect(!second.stderr.contains("ExitCode"), "\(second.stderr)")
        }
        let scan = try CLI.sysscan(["scan", CLI.sample("appserver-node").path, "--db", foreign.path, "--quiet"])
        #expect(scan.status == 3 && scan.stderr.contains("not a database"), "\(scan.stderr)")
        #expect(H.entries(folder) == ["passwd"], "nothing created beside: \(H.entries(folder))")
    }

    @Test func historyReadsAReadOnlyStoreAndShowsFailuresAsFailed() throws {
        let (root, db) = try Self.store()
        try H.giveAway(root)
        chmod(db, 0o444)
        chmod(root.path, 0o555)
        defer { chmod(root.path, 0o755) }
        let result = try H.runUnprivileged(["history", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("SCAN") == true && lines.first?.contains("STATUS") == true,
            "a header: \(result.stdout)")
        let failed = try #require(lines.first { $0.contains("failed") })
        #expect(failed.contains("error:") && failed.contains("not an archive"), "\(failed)")
        #expect(!failed.contains("0C 0H 0M 0L 0I"))
    }

    @Test func casesOrdersBySeverityDiffRefusesTwoSystemsShowRendersHTML() throws {
        let (_, db) = try Self.store()
        let cases = try CLI.sysscan(["cases", "C1000001", "--db", db])
        #expect(cases.status == 0, "\(cases.stderr)")
        let severities = cases.stdout.split(separator: "\n").compactMap { line -> String? in
            let word = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            return ["critical", "high", "medium", "low", "info"].contains(word) ? word : nil
        }
        let rank = ["critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0]
        #expect(severities.count >= 2, "\(cases.stdout)")
        #expect(severities.map { rank[$0] ?? 0 } == severities.map { rank[$0] ?? 0 }.sorted(by: >), "\(severities)")
        let refused = try CLI.sysscan(["diff", "2", "3", "--db", db])
        #expect(refused.status == 3)
        #expect(
            refused.stderr.contains("system alpha") && refused.stderr.contains("system beta")
                && refused.stderr.contains("--across-systems"))
        let allowed = try CLI.sysscan(["diff", "2", "3", "--db", db, "--across-systems"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let html = try CLI.sysscan(["show", "1", "--db", db, "--format", "html"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("JVM-OOM-JAVA-HEAP"))
        let failedShow = try CLI.sysscan(["show", "4", "--db", db])
        #expect(failedShow.status == 3 && failedShow.stderr.contains("failed"), "\(failedShow.stderr)")
    }
}
