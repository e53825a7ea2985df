import Foundation
import Testing

/// Uploads that are broken in every way a customer manages: each gives a clear message that names the
/// upload and what is wrong, or a warning while the scan goes on, and is never modified.
@Suite(.serialized)
struct BadInputTests {
    static let oomLine =
        "2026-11-20 10:15:30,123 SEVERE [http-nio-8080-exec-3] java.lang.OutOfMemoryError: Java heap space\n"

    /// Three logs that each trigger the heap rule, in `logs/`.
    static func logFolder() throws -> URL {
        let root = try CLI.temporaryFolder()
        var files: [String: [UInt8]] = [:]
        for index in 1...3 {
            // Varied lines, so that the archive does not compress to almost nothing and can be cut mid-way.
            let lines = (0..<3000).map { n in
                "2026-11-20 10:00:00,000 INFO [exec-\(n % 17)] request \(n * 7919 % 100_003) served in \(n * 31 % 997) ms\n"
            }
            files["up/logs/app\(index).log"] = Array((lines.joined() + oomLine).utf8)
        }
        try CLI.write(files, below: root)
        return root
    }

    static func scanJSON(_ path: String, _ extra: [String] = []) throws -> (CLI.Result, [String: Any]) {
        let result = try CLI.sysscan(["scan", path, "--format", "json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return (result, try result.json())
    }

    static func heapCount(_ report: [String: Any]) -> Int {
        let findings = report["findings"] as? [[String: Any]] ?? []
        return findings.first { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" }?["count"] as? Int ?? 0
    }

    @Test func aFileNamedAsAnArchiveThatIsNoArchiveIsRefusedWithExitCode3() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("notes.zip").path
        try Data("just some text\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLI.sysscan(["scan", path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(path): not an archive: its content is text"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aPlainLogFileIsScannedAsAOneFileUpload() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("catalina.out").path
        try Data(("2026-11-20 10:15:29,000 INFO [main] Server startup\n" + Self.oomLine).utf8).write(
            to: URL(fileURLWithPath: path))
        let result = try CLI.sysscan(["scan", path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json()
        #expect(Self.heapCount(report) == 1)
        #expect(report["outcome"] as? String == "findings")
        let evidence = (report["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]]
        #expect(evidence?.first?["artifact"] as? String == "catalina.out")
        #expect(evidence?.first?["entry"] as? String == "catalina.out")
        #expect(evidence?.first?["line"] as? Int == 2)
        let part = ((report["input"] as? [String: Any])?["parts"] as? [[String: Any]])?.first
        #expect(part?["format"] as? String == "file")
        #expect(try CLI.sysscan(["scan", path, "--fail-on", "high"]).status == 1)
    }

    @Test func aPlainConfigFileIsOfTheKindItsNameGives() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("server.xml").path
        let xml =
            "<Server port=\"8005\" shutdown=\"SHUTDOWN\"><Service name=\"Catalina\">\n<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n</Service></Server>\n"
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        let (_, report) = try Self.scanJSON(path)
        let rules = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.contains("TOMCAT-AJP-NO-SECRET"), "\(rules)")
    }

    @Test func aPlainFileOfNoKnownKindIsNothingCheckedWithExitCode4() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("notes.txt").path
        try Data("just some text\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLI.sysscan(["scan", path, "--format", "json", "--fail-on", "info"])
        #expect(result.status == 4)
        let report = try result.json()
        #expect(report["outcome"] as? String == "nothing-checked")
        let detail = report["nothing_checked"] as? [String: Any]
        #expect(detail?["unrecognised"] as? [String] == ["notes.txt"])
        let text = try CLI.sysscan(["scan", path])
        #expect(text.status == 4)
        #expect(text.stdout.contains("1 entry seen, none recognised: notes.txt"))
    }

    @Test func anEmptyFileIsRefusedWithExitCode3() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("upload.zip").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let result = try CLI.sysscan(["scan", path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(path): the upload is empty"))
        let log = root.appendingPathComponent("catalina.out").path
        #expect(FileManager.default.createFile(atPath: log, contents: Data()))
        let plain = try CLI.sysscan(["scan", log])
        #expect(plain.status == 3)
        #expect(plain.stderr.contains("\(log): the upload is empty"))
    }

    @Test func aMissingUploadIsRefusedWithExitCode3() throws {
        let result = try CLI.sysscan(["scan", "/nonexistent/upload.tgz"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("/nonexistent/upload.tgz: no such file or folder"))
    }

    @Test func anUnreadableFileIsRefusedWithExitCode3() throws {
        let root = try CLI.temporaryFolder()
        let path = root.appendingPathComponent("secret.tgz").path
        try CLI.shell("printf 'x' | gzip > secret.tgz && chmod 000 secret.tgz && chmod 755 .", in: root)
        let result: CLI.Result
        if getuid() == 0 {
            // root reads everything: run the scan as nobody, who cannot read a mode-000 file. The binary and
            // the knowledge base are copied where nobody can reach them (the checkout may sit below /root).
            let setpriv = try #require(
                ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) })
            try CLI.shell(
                "cp '\(CLI.binary.path)' sysscan && cp -R '\(CLI.knownIssues)' kb && chmod -R a+rX sysscan kb", in: root
            )
            result = try CLI.run(
                setpriv,
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", root.appendingPathComponent("sysscan").path,
                    "scan", path,
                    "--knowledge-base", root.appendingPathComponent("kb").path,
                ])
        } else {
            result = try CLI.sysscan(["scan", path])
        }
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("\(path): cannot read the upload"))
    }

    @Test func aTruncatedTarGzKeepsWhatWasReadAndWarns() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "bsdtar -czf full.tgz -C up . && head -c $(( $(stat -c %s full.tgz) * 2 / 3 )) full.tgz > cut.tgz", in: root
        )
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("cut.tgz").path)
        #expect(CLI.warningCodes(report).contains("truncated-archive"))
        let warning = (report["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "truncated-archive" }
        #expect((warning?["message"] as? String)?.hasPrefix("cut.tgz: archive broken off") == true)
        #expect(Self.heapCount(report) >= 1)
    }

    @Test func aTarGzCutBeforeItsFirstEntryIsUnusable() throws {
        let root = try Self.logFolder()
        try CLI.shell("bsdtar -czf full.tgz -C up . && head -c 20 full.tgz > cut.tgz", in: root)
        let result = try CLI.sysscan(["scan", root.appendingPathComponent("cut.tgz").path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cut.tgz: the archive cannot be read"))
    }

    @Test func aDamagedEntryInTheMiddleIsAWarningAndTheScanGoesOn() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "cd up && bsdtar --format zip -cf ../good.zip logs/app1.log logs/app2.log logs/app3.log", in: root)
        var bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("good.zip")))
        let name = Array("logs/app2.log".utf8)
        let header = try #require(
            (0..<(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name })
        for index in (header + name.count + 40)..<(header + name.count + 80) { bytes[index] ^= 0xFF }
        let damaged = root.appendingPathComponent("damaged.zip")
        try Data(bytes).write(to: damaged)
        let (_, report) = try Self.scanJSON(damaged.path)
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        #expect(
            warnings.contains {
                $0["code"] as? String == "damaged-entry" && ($0["artifact"] as? String) == "damaged.zip!/logs/app2.log"
            })
        #expect(Self.heapCount(report) == 2, "app1.log and app3.log are still scanned")
    }

    /// Damages the first entry of a zip of `logs/app1.log` and `logs/app2.log` made by Python's zipfile:
    /// a wrong CRC in both its headers (`stored`), or a flipped byte in its compressed data (`deflated`).
    static let zipDamager = #"""
        import sys, zipfile, zlib, struct
        method, folder, target = sys.argv[1], sys.argv[2], sys.argv[3]
        compression = zipfile.ZIP_STORED if method == "stored" else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(target, "w", compression=compression) as archive:
            for name in ("logs/app1.log", "logs/app2.log"):
                archive.write(folder + "/" + name, name)
        data = bytearray(open(target, "rb").read())
        if method == "stored":
            central = data.find(b"PK\x01\x02")
            for at in (14, central + 16):
                data[at] ^= 0x5A
        else:
            start = 30 + struct.unpack("<H", data[26:28])[0] + struct.unpack("<H", data[28:30])[0]
            data[start + struct.unpack("<I", data[18:22])[0] // 2] ^= 0x55
        open(target, "wb").write(data)
        """#

    /// A zip entry whose CRC is wrong was read as 0 bytes (its finding lost, no warning), and a corrupted
    /// deflated entry was scanned as if intact: both are `damaged-entry` warnings now, and what was read
    /// of the entry still counts.
    @Test(arguments: ["stored", "deflated"])
    func aZipEntryWithABadCRCIsADamagedEntryAndWhatWasReadCounts(method: String) throws {
        let root = try Self.logFolder()
        let script = root.appendingPathComponent("damage.py")
        try Data(Self.zipDamager.utf8).write(to: script)
        try CLI.shell("python3 damage.py \(method) up \(method).zip", in: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("\(method).zip").path)
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        let damaged = warnings.filter { $0["code"] as? String == "damaged-entry" }
        #expect(damaged.map { $0["artifact"] as? String } == ["\(method).zip!/logs/app1.log"])
        // libarchive: "ZIP bad CRC: 0x… should be 0x…", or for the inflated entry "ZIP uncompressed data is
        // wrong size (read 207690, expected 207659)".
        let message = damaged.first?["message"] as? String ?? ""
        #expect(message.contains(method == "stored" ? "bad CRC" : "wrong size"), "\(damaged)")
        #expect(!message.hasSuffix("\n"))
        let findings = report["findings"] as? [[String: Any]] ?? []
        let heap = findings.first { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" }
        let artifacts = (heap?["evidence"] as? [[String: Any]] ?? []).compactMap { $0["artifact"] as? String }
        // A stored entry's bytes are intact but for its CRC: its last line is found too.
        #expect(artifacts.contains("\(method).zip!/logs/app2.log"))
        if method == "stored" { #expect(artifacts.contains("\(method).zip!/logs/app1.log")) }
    }

    @Test func anEncryptedZipEntryIsAWarningNotACrash() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "cd up && zip -q -P secret ../mixed.zip logs/app1.log && zip -q ../mixed.zip logs/app2.log", in: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("mixed.zip").path)
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        #expect(
            warnings.contains {
                $0["code"] as? String == "encrypted-entry" && ($0["artifact"] as? String) == "mixed.zip!/logs/app1.log"
            })
        #expect(Self.heapCount(report) == 1)
    }

    @Test func entryNamesThatLeaveTheUploadAreReportedAsGivenAndNeverWritten() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "bsdtar -czf unsafe.tgz -P -s ',^up/logs/app1,../../escaped,' -s ',^up/logs/app2,/tmp/absolute,' up/logs/app1.log up/logs/app2.log",
            in: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("unsafe.tgz").path)
        let warnings = (report["warnings"] as? [[String: Any]] ?? []).filter {
            $0["code"] as? String == "unsafe-entry-name"
        }
        #expect(
            Set(warnings.compactMap { $0["artifact"] as? String }) == [
                "unsafe.tgz!/../../escaped.log", "unsafe.tgz!//tmp/absolute.log",
            ])
        #expect(Self.heapCount(report) == 2)
        #expect(
            !FileManager.default.fileExists(
                atPath: root.deletingLastPathComponent().appendingPathComponent("escaped.log").path))
    }

    /// Binary bytes in a log are searched like any others; only a parsed config that looks binary is skipped.
    @Test func binaryContentIsSearchedInALogAndSkippedWithAWarningInAParsedConfig() throws {
        let root = try CLI.temporaryFolder()
        var noise = [UInt8](repeating: 0, count: 4096)
        for index in noise.indices { noise[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
        try CLI.write(
            [
                "up/tomcat/logs/catalina.out": noise + Array(Self.oomLine.utf8),
                "up/tomcat/conf/catalina.properties": noise + Array("shutdown.port=8005\n".utf8),
            ], below: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("up").path)
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        let binary = warnings.filter { $0["code"] as? String == "binary-content" }
        #expect(binary.map { $0["artifact"] as? String } == ["up/tomcat/conf/catalina.properties"])
        #expect(Self.heapCount(report) == 1)
    }

    /// A log that `copytruncate` rotated while it was written starts with a run of NUL bytes where the
    /// writer's old offset was; the lines after it are searched, and a finding among them is reported.
    @Test func aLogThatStartsWithACopytruncateNULRunIsSearched() throws {
        let root = try CLI.temporaryFolder()
        let nuls = [UInt8](repeating: 0, count: 6000)
        let tail = "2026-11-20 10:15:29,000 INFO [main] Server startup\n" + Self.oomLine
        try CLI.write(["up/logs/catalina.out": nuls + Array(tail.utf8)], below: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("up").path)
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        #expect(!warnings.contains { $0["code"] as? String == "binary-content" })
        #expect(Self.heapCount(report) == 1)
        let finding = (report["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" }
        let evidence = (finding?["evidence"] as? [[String: Any]])?.first
        #expect(evidence?["line"] as? Int == 2)
        #expect((evidence?["text"] as? String)?.hasSuffix("java.lang.OutOfMemoryError: Java heap space") == true)
    }

    @Test func invalidUTF8AndCRLFInLogsAreMatchedAsBytes() throws {
        let root = try CLI.temporaryFolder()
        let line =
            Array("2026-11-20 10:15:30,123 SEVERE [exec-1] caf".utf8) + [0xE9, 0xFF]
            + Array(" java.lang.OutOfMemoryError: Java heap space\r\n".utf8)
        try CLI.write(["up/logs/app.log": Array("first line\r\n".utf8) + line], below: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("up").path)
        let finding = (report["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "JVM-OOM-JAVA-HEAP" }
        let evidence = try #require((finding?["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["line"] as? Int == 2)
        let text = try #require(evidence["text"] as? String)
        #expect(text.contains("caf\u{FFFD}\u{FFFD} java.lang.OutOfMemoryError"))
        #expect(!text.hasSuffix("\r"))
        #expect(finding?["first_seen"] as? String == "2026-11-20T10:15:30.123")
    }

    @Test func archivesNestedDeeperThanTheLimitAreNotOpenedAndSaySo() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "bsdtar -czf l3.tgz -C up logs/app1.log && bsdtar -czf l2.tgz l3.tgz && bsdtar -czf l1.tgz l2.tgz && bsdtar -czf top.tgz l1.tgz",
            in: root)
        // Its one log is too deep to open, so nothing could be checked: exit code 4.
        let deepResult = try CLI.sysscan([
            "scan", root.appendingPathComponent("top.tgz").path, "--format", "json", "--max-nesting", "2",
        ])
        #expect(deepResult.status == 4, "\(deepResult.stderr)")
        let deep = try deepResult.json()
        #expect(CLI.warningCodes(deep).contains("nesting-too-deep"))
        #expect(Self.heapCount(deep) == 0)
        #expect(deep["outcome"] as? String == "nothing-checked")
        let (_, allowed) = try Self.scanJSON(root.appendingPathComponent("top.tgz").path)
        #expect(CLI.warningCodes(allowed).isEmpty)
        let evidence = (allowed["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]]
        #expect(evidence?.first?["artifact"] as? String == "top.tgz!/l1.tgz!/l2.tgz!/l3.tgz!/logs/app1.log")
    }

    @Test func aRotatedGzipLogInsideTheUploadIsReadInPlace() throws {
        let root = try Self.logFolder()
        try CLI.shell(
            "gzip -c up/logs/app1.log > up/logs/app1.log.1.gz && rm up/logs/app1.log up/logs/app2.log up/logs/app3.log",
            in: root)
        let (_, report) = try Self.scanJSON(root.appendingPathComponent("up").path)
        #expect(Self.heapCount(report) == 1)
        let evidence = (report["findings"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]]
        #expect(evidence?.first?["artifact"] as? String == "up/logs/app1.log.1.gz")
    }
}
