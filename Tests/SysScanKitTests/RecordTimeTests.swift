import Foundation
import Testing

@testable import SysScanKit

/// A time belongs to a log record: the message line of java.util.logging's two-line format and the lines
/// of a stack trace take the time of the record they belong to, whatever the block size.
@Suite struct RecordTimeTests {
    static let knowledgeBase: CompiledKnowledgeBase? = try? RuleCompiler.compile(
        try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))

    static func scan(_ path: String, _ text: String, blockSize: Int = 64 * 1024) throws -> ScanReport {
        let knowledgeBase = try #require(Self.knowledgeBase)
        var options = ScanOptions()
        options.now = Date(timeIntervalSince1970: 1_795_000_000)
        return Scanner(knowledgeBase: knowledgeBase, options: options)
            .scan(artifacts: [(path, Array(text.utf8))], blockSize: blockSize)
    }

    static let julLog = """
        Feb 02, 2026 11:27:15 PM org.apache.catalina.startup.HostConfig deployWAR
        INFO: Deploying web application archive /opt/tomcat/webapps/orders.war
        Feb 02, 2026 11:27:17 PM org.apache.catalina.loader.WebappClassLoaderBase clearReferencesThreads
        SEVERE: The web application [orders] appears to have started a thread named [pool-3-thread-1] but has failed to stop it. This is very likely to create a memory leak.

        """

    @Test(arguments: [7, 64, 4096, 65536])
    func theMessageLineOfATwoLineRecordTakesItsTime(blockSize: Int) throws {
        let report = try Self.scan("tomcat/logs/catalina.out", Self.julLog, blockSize: blockSize)
        let finding = try #require(report.findings.first { $0.rule == "TOMCAT-WEBAPP-THREAD-LEAK" })
        #expect(finding.firstSeen == "2026-02-02T23:27:17")
        #expect(finding.evidence.first?.line == 4)
        #expect(finding.evidence.first?.timestamp == "2026-02-02T23:27:17")
    }

    @Test(arguments: [9, 100, 65536])
    func stackTraceLinesTakeTheTimeOfTheirRecordAndCountInWindows(blockSize: Int) throws {
        var log = ""
        for (index, minute) in [1, 2, 4].enumerated() {
            log += "2026-11-20 14:0\(minute):31,204 ERROR [exec-\(index)] c.e.orders.ExportService - export aborted\n"
            log += "java.lang.OutOfMemoryError: Java heap space\n"
            for frame in 0..<30 { log += "\tat com.example.orders.CsvWriter.write\(frame)(CsvWriter.java:\(frame))\n" }
        }
        let report = try Self.scan("tomcat/logs/catalina.out", log, blockSize: blockSize)
        // Three OutOfMemoryErrors within 10 minutes: only their records' times place them in the window.
        let repeated = try #require(report.findings.first { $0.rule == "JVM-OOM-REPEATED-NO-EXIT" })
        #expect(repeated.firstSeen == "2026-11-20T14:01:31.204")
        #expect(repeated.lastSeen == "2026-11-20T14:04:31.204")
    }

    @Test func linesOfTheirOwnWithoutATimeDoNotBorrowAFarAwayOne() throws {
        // Untimed GC lines (JVM uptime only) are records of their own: none takes the time of the first line.
        var log = "2026-11-20 10:00:00,000 INFO  [main] starting\n"
        for second in 0..<5 {
            log += "\(100 + second).123: [Full GC (Ergonomics) [PSYoungGen: 1K->0K(2K)] 10K->9K(20K), 2.5 secs]\n"
        }
        let report = try Self.scan("jvm/gc.log", log)
        #expect(!report.findings.contains { $0.rule == "JVM-GC-FULL-GC-THRASHING" })
    }
}
