import Foundation
import Testing

/// Runs the built `sysscan` binary and the archivers the tests pack uploads with.
enum CLI {
    /// The package's root folder.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// How many findings the README says the appserver-node sample gives (its list is checked against a scan).
    static var appserverFindingCount: Int {
        let readme = (try? String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        let count = readme.firstMatch(of: /It triggers\s+these (\d+) findings/).flatMap { Int($0.output.1) }
        return count ?? -1
    }

    /// The project's knowledge base.
    static var knownIssues: String { packageRoot.appendingPathComponent("KnownIssues").path }

    /// A sample upload folder.
    static func sample(_ name: String) -> URL { packageRoot.appendingPathComponent("Samples/\(name)") }

    /// The `sysscan` binary built beside this test bundle.
    static let binary: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sysscan")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/sysscan")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The standard output parsed as a JSON object.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any])
        }
    }

    /// Runs `sysscan` with `arguments` (the project's knowledge base unless one is named).
    @discardableResult
    static func sysscan(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["SYSSCAN_KNOWLEDGE_BASE"] = knownIssues
        env["COLUMNS"] = "100"
        env.merge(environment) { _, new in new }
        return try run(binary.path, arguments, environment: env)
    }

    /// Runs a program and collects its output.
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, in directory: URL? = nil
    )
        throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell command (packing archives), failing the test when it fails.
    static func shell(_ command: String, in directory: URL) throws {
        let result = try run("/bin/sh", ["-c", command], in: directory)
        #expect(result.status == 0, "\(command): \(result.stderr)")
    }

    /// A new empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sysscan-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `files` (relative path → bytes) below `root`.
    static func write(_ files: [String: [UInt8]], below root: URL) throws {
        for (path, bytes) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    /// The findings of a JSON report as comparable lines: rule, count and each evidence's entry and line.
    static func findingSummary(_ report: [String: Any]) -> [String] {
        let findings = report["findings"] as? [[String: Any]] ?? []
        return findings.map { finding in
            let evidence = (finding["evidence"] as? [[String: Any]] ?? []).map { item in
                let entry = (item["entry"] as? String ?? "").replacingOccurrences(of: "!/", with: "/")
                return "\(entry):\(item["line"] as? Int ?? 0)"
            }.sorted()  // archives list entries in their own order; the folder is read sorted
            return
                "\(finding["rule"] as? String ?? "") ×\(finding["count"] as? Int ?? 0) \(evidence.joined(separator: ","))"
        }.sorted()
    }

    /// The warning codes of a JSON report.
    static func warningCodes(_ report: [String: Any]) -> [String] {
        (report["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
}
