import Foundation
import Testing

@testable import SysScanKit

struct ScannerTests {
    @Test func logXPathAndPropertyRulesFireWithEvidenceAndMessages() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [
            (
                "tomcat/conf/server.xml",
                Array("<Server>\n  <Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n</Server>\n".utf8)
            ),
            (
                "logs/app.log",
                Array(
                    "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\r\nok\r\n2026-11-21 08:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\r\n"
                        .utf8)
            ),
            ("conf/management.properties", Array("com.sun.management.jmxremote.authenticate = False\n".utf8)),
        ])
        #expect(report.findings.map(\.rule) == ["AJP-OPEN", "JMX-NO-AUTH", "OOM-HEAP"])
        let ajp = report.findings[0]
        #expect(ajp.message == "AJP on port 8009")
        #expect(ajp.evidence.first?.line == 2)
        #expect(ajp.evidence.first?.text == "<Connector port=\"8009\" protocol=\"AJP/1.3\"/>")
        let oom = report.findings[2]
        #expect(oom.count == 2)
        #expect(oom.message == "2 times: Java heap space")
        #expect(oom.firstSeen == "2026-11-20T10:00:00.000")
        #expect(oom.lastSeen == "2026-11-21T08:00:00.000")
        #expect(oom.evidence.map(\.line) == [1, 3])
        #expect(report.findings[1].message == "com.sun.management.jmxremote.authenticate=False")
    }

    @Test func aLogRuleBelowItsMinimumCountDoesNotFire() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("a.log", Array("java.lang.OutOfMemoryError: Java heap space\n".utf8))])
        #expect(report.findings.isEmpty)
    }

    @Test func rulesWithoutTheirArtifactsAreNotEvaluated() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("a.log", Array("fine\n".utf8))])
        #expect(report.notEvaluated.map(\.rule) == ["AJP-OPEN", "JMX-NO-AUTH"])
        #expect(report.notEvaluated.first?.missingKinds == ["tomcat-server-xml"])
    }

    @Test func anUnparsableConfigIsAWarningAndItsRulesAreNotEvaluated() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("conf/server.xml", Array("<Server><Connector port=\"8009\"".utf8))])
        #expect(report.warnings.map(\.code) == [.unparsableConfig])
        #expect(report.warnings.first?.message.contains("memory/conf/server.xml") == true)
        #expect(report.notEvaluated.map(\.rule).contains("AJP-OPEN"))
    }

    @Test func externalEntitiesAreNeitherLoadedNorExpanded() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Server [<!ENTITY ext SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "http://198.51.100.1/x">]>
            <Server><Name>&ext;</Name><Other>&net;</Other></Server>
            """
        let document = try XMLConfig(bytes: Array(xml.utf8), name: "server.xml")
        let names = try document.select("//Name | //Other")
        #expect(names.count == 2)
        #expect(names.allSatisfy { !$0.value.contains("root:") && $0.value.isEmpty })
    }

    @Test(
        "a hit on a line that straddles a block boundary is found at every block size",
        arguments: [1, 2, 3, 7, 16, 61, 62, 63, 64, 4096])
    func blockBoundariesNeverHideALine(blockSize: Int) throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let line = "2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space\n"
        let later = line.replacingOccurrences(of: "10:00:00", with: "10:00:01")
        let content = Array((String(repeating: "x", count: 40) + "\n" + line + later).utf8)
        let report = scanner.scan(artifacts: [("a.log", content)], blockSize: blockSize)
        #expect(report.findings.first?.evidence.map(\.line) == [2, 3])
    }

    @Test func aLineRepeatedThousandsOfTimesIsCitedOnceWithItsCountAndLastOccurrence() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let line = "java.lang.OutOfMemoryError: Java heap space\n"
        let report = scanner.scan(artifacts: [("a.log", Array(String(repeating: line, count: 5000).utf8))])
        let finding = try #require(report.findings.first)
        #expect(finding.count == 5000)
        #expect(finding.evidence.count == 1)
        #expect(finding.evidence.first?.repeats == 4999)
        #expect(finding.evidence.first?.lastLine == 5000)
    }

    @Test func evidenceCarriesItsContextLines() throws {
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let log =
            "one\ntwo\n2026-11-20 10:00:00,000 java.lang.OutOfMemoryError: Java heap space\nfour\nfive\nsix\n2026-11-20 10:05:00,000 java.lang.OutOfMemoryError: Java heap space\n"
        // Whatever the block size, every evidence line carries the same context lines.
        for size in [1, 2, 3, 5, 7, 11, 16, 30, 61, 62, 64, 4096] {
            let report = scanner.scan(artifacts: [("a.log", Array(log.utf8))], blockSize: size)
            let evidence = try #require(report.findings.first?.evidence)
            #expect(evidence.map { $0.context.map(\.line) } == [[1, 2, 4, 5], [5, 6]], "block size \(size)")
            #expect(evidence.first?.context.map(\.text) == ["one", "two", "four", "five"], "block size \(size)")
        }
        let xml = scanner.scan(artifacts: [
            (
                "conf/server.xml",
                Array("<Server>\n<!-- a -->\n<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n</Server>\n".utf8)
            )
        ])
        #expect(xml.findings.first?.evidence.first?.context.map(\.line) == [1, 2, 4])
    }
}
