import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Spool folders, uploads and `sysscan spool` processes for the end-to-end spool tests.
enum SpoolHarness {
    static let oom = "2026-11-20 10:15:30,123 SEVERE [exec-1] java.lang.OutOfMemoryError: Java heap space\n"
    static let metaspace = "2026-11-21 09:00:00,000 SEVERE [exec-2] java.lang.OutOfMemoryError: Metaspace\n"

    /// A new spool folder with an empty `incoming/`.
    static func spool() throws -> URL {
        let root = try CLI.temporaryFolder()
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("incoming"), withIntermediateDirectories: true)
        return root
    }

    /// The bytes of a tar.gz upload holding `logs/catalina.out` with `log`, and `extra` files.
    static func archive(log: String = oom, extra: [String: String] = [:]) throws -> Data {
        let folder = try CLI.temporaryFolder()
        var files = ["logs/catalina.out": Array(log.utf8)]
        for (path, text) in extra { files[path] = Array(text.utf8) }
        try CLI.write(files, below: folder.appendingPathComponent("node"))
        try CLI.shell("bsdtar -czf upload.tgz -C node .", in: folder)
        return try Data(contentsOf: folder.appendingPathComponent("upload.tgz"))
    }

    /// Writes `data` as `incoming/name` (created whole, as a rename would).
    static func drop(_ data: Data, as name: String, in root: URL) throws {
        let incoming = root.appendingPathComponent("incoming")
        let temporary = incoming.appendingPathComponent(".landing-\(UUID().uuidString)")
        try data.write(to: temporary)
        #expect(rename(temporary.path, incoming.appendingPathComponent(name).path) == 0)
    }

    /// Writes a sidecar `incoming/NAME.properties`.
    static func sidecar(_ text: String, for name: String, in root: URL) throws {
        try drop(Data(text.utf8), as: name + ".properties", in: root)
    }

    /// Runs `sysscan spool ROOT --once` with `arguments` (settle 0 unless given).
    @discardableResult
    static func once(_ root: URL, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> CLI.Result
    {
        var all = ["spool", root.path, "--once"] + arguments
        if !arguments.contains("--settle") { all += ["--settle", "0"] }
        return try CLI.sysscan(all, environment: environment)
    }

    /// The history of a spool's store, newest first.
    static func history(_ root: URL, db: String? = nil) throws -> [[String: Any]] {
        let result = try CLI.sysscan([
            "history", "--db", db ?? root.appendingPathComponent("sysscan.sqlite").path, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func entries(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// Every file below `folder`, relative, sorted (hidden ones included).
    static func files(below folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var directory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(path).path, isDirectory: &directory), !directory.boolValue
            {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Starts a watching spool (settle and poll as given) and returns it with its collected standard error.
    static func start(_ root: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe)
    {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["spool", root.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["SYSSCAN_KNOWLEDGE_BASE"] = CLI.knownIssues
        env.merge(environment) { _, new in new }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    /// Stops a watching spool with SIGTERM and returns its exit status and standard error.
    static func stop(_ process: Process, _ errors: Pipe) -> (Int32, String) {
        kill(process.processIdentifier, SIGTERM)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Waits up to `seconds` for `condition`.
    @discardableResult
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    // MARK: An unprivileged user (root ignores permissions)

    /// The uid and gid that permission tests run the spool as: nobody when the tests run as root, else the
    /// current user.
    static let unprivileged: (uid: uid_t, gid: gid_t) = getuid() == 0 ? (65534, 65534) : (getuid(), getgid())

    /// The binary and knowledge base copied where an unprivileged user can run and read them.
    static let unprivilegedInstall: (binary: String, knowledgeBase: String) = {
        guard getuid() == 0 else { return (CLI.binary.path, CLI.knownIssues) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sysscan-unprivileged-\(UUID().uuidString)")
        _ = try? CLI.run(
            "/bin/sh",
            [
                "-c",
                "mkdir -p '\(folder.path)' && cp '\(CLI.binary.path)' '\(folder.path)/sysscan' && cp -r '\(CLI.knownIssues)' '\(folder.path)/KnownIssues' && chmod -R a+rX '\(folder.path)'",
            ])
        return (folder.appendingPathComponent("sysscan").path, folder.appendingPathComponent("KnownIssues").path)
    }()

    /// Gives a folder (recursively) to the unprivileged user.
    static func giveAway(_ folder: URL) throws {
        if getuid() == 0 {
            try CLI.shell("chown -R \(unprivileged.uid):\(unprivileged.gid) '\(folder.path)'", in: folder)
        }
    }

    /// Runs `sysscan` as the unprivileged user.
    @discardableResult
    static func runUnprivileged(_ arguments: [String], timeout: Double = 120) throws -> CLI.Result {
        let install = unprivilegedInstall
        var env = ProcessInfo.processInfo.environment
        env["SYSSCAN_KNOWLEDGE_BASE"] = install.knowledgeBase
        if getuid() == 0 {
            return try CLI.run(
                "/usr/bin/setpriv",
                [
                    "--reuid=\(unprivileged.uid)", "--regid=\(unprivileged.gid)", "--clear-groups", "/usr/bin/timeout",
                    "-s", "KILL", "\(Int(timeout))", install.binary,
                ]
                    + arguments, environment: env)
        }
        return try CLI.run(
            "/usr/bin/timeout", ["-s", "KILL", "\(Int(timeout))", install.binary] + arguments, environment: env)
    }
}
