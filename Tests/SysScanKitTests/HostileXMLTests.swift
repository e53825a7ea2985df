import Foundation
import Glibc
import Testing

@testable import SysScanKit

/// XML configs built to hurt the parser: each is refused (or read) within bounded time and memory.
///
/// A refusal is a warning that names the file, never a crash. The large inputs are generated here, not
/// committed.
@Suite(.serialized)
struct HostileXMLTests {
    /// A loopback TCP port that listens and never answers: whether anyone connected tells whether the
    /// parser tried to fetch a URL.
    final class Listener {
        let socket: Int32
        let port: Int

        init() throws {
            let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            socket = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
            try #require(bound == 0 && listen(descriptor, 8) == 0)
        }

        /// Whether a connection is waiting to be accepted.
        var wasContacted: Bool {
            let connection = accept(socket, nil, nil)
            if connection >= 0 { close(connection) }
            return connection >= 0
        }

        deinit { close(socket) }
    }

    /// XXE to a local file and to a loopback URL, through a general entity, a parameter entity and an
    /// external DTD: nothing is read and nothing is fetched, and the document still parses.
    @Test func externalEntitiesToAFileAndALoopbackURLAreNeitherReadNorFetched() throws {
        let secret = try Fixtures.temporaryFolder().appendingPathComponent("secret.txt")
        try Data("TOP-SECRET-CANARY\n".utf8).write(to: secret)
        let listener = try Listener()
        let url = "http://127.0.0.1:\(listener.port)"
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Server SYSTEM "\(url)/server.dtd" [
              <!ENTITY file SYSTEM "file://\(secret.path)">
              <!ENTITY net SYSTEM "\(url)/entity">
              <!ENTITY % remote SYSTEM "\(url)/parameter.dtd">
              %remote;
            ]>
            <Server port="8005">
              <Connector port="8009" protocol="AJP/1.3"/>
              <Name>&file;</Name><Other>&net;</Other>
            </Server>
            """
        let document = try XMLConfig(bytes: Array(xml.utf8), name: "server.xml")
        let nodes = try document.select("//Name | //Other | //Connector")
        #expect(nodes.count == 3)
        #expect(
            !nodes.contains { $0.value.contains("CANARY") || $0.attributes.values.contains { $0.contains("CANARY") } })
        #expect(!listener.wasContacted)
    }

    /// A billion-laughs `server.xml` is refused.
    ///
    /// One 64 KiB internal entity referenced 32,768 times (2 GiB expanded) in 230 KB: the XPath evaluation
    /// expanded it (4.2 GB of memory) before the entity budget.
    @Test func anInternalEntityReferencedThirtyTwoThousandTimesIsRefusedAsAWarning() throws {
        let xml =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Server [<!ENTITY big \"" + String(repeating: "A", count: 65536)
            + "\">]>\n<Server>\n<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n<Engine>"
            + String(repeating: "&big;", count: 32768) + "</Engine>\n</Server>\n"
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("conf/server.xml", Array(xml.utf8))])
        #expect(report.findings.isEmpty)
        let warning = try #require(report.warnings.first)
        #expect(warning.code == .unparsableConfig)
        #expect(warning.artifact == "memory/conf/server.xml")
        #expect(warning.message.contains("entity references expand to more than 1048576 bytes"))
    }

    /// The same attack through an attribute value, nested entities and a `log4j2.xml`-sized document.
    @Test func nestedEntitiesInAnAttributeAreRefused() throws {
        var declarations = "<!ENTITY e0 \"" + String(repeating: "x", count: 1000) + "\">"
        for level in 1...4 {
            declarations += "<!ENTITY e\(level) \"" + String(repeating: "&e\(level - 1);", count: 16) + "\">"
        }
        let xml = "<!DOCTYPE C [\(declarations)]><C><Connector port=\"&e4;\" protocol=\"AJP/1.3\"/></C>"
        #expect(throws: XMLConfigError.self) { try XMLConfig(bytes: Array(xml.utf8), name: "log4j2.xml") }
        // Below the budget, entities are still read as before.
        let small = "<!DOCTYPE C [<!ENTITY p \"8009\">]><C><Connector port=\"&p;\" protocol=\"AJP/1.3\"/></C>"
        let document = try XMLConfig(bytes: Array(small.utf8), name: "server.xml")
        #expect(try document.select("//Connector").first?.attributes["port"] == "8009")
    }

    /// 100,000 nested elements: libxml2's depth limit (256 without `XML_PARSE_HUGE`) refuses the document.
    @Test func aHundredThousandDeepNestingIsAWarningNotACrash() throws {
        let xml =
            "<Server>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
            + "<Connector port=\"8009\" protocol=\"AJP/1.3\"/></Server>"
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("conf/server.xml", Array(xml.utf8))])
        #expect(report.findings.isEmpty)
        #expect(report.warnings.map(\.code) == [.unparsableConfig])
        #expect(report.warnings.first?.message.contains("memory/conf/server.xml: not well-formed XML") == true)
        #expect(report.warnings.first?.message.contains("depth") == true)
    }

    /// A 50 MiB config is over the 32 MiB parse limit: a `config-too-large` warning, its content dropped
    /// as soon as it passed the limit.
    @Test func aFiftyMiBConfigIsAConfigTooLargeWarning() throws {
        let connector = Array("<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n".utf8)
        var xml = Array("<Server>\n".utf8)
        xml.reserveCapacity(50 << 20 + 64)
        while xml.count < 50 << 20 { xml += connector }
        xml += Array("</Server>\n".utf8)
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled())
        let report = scanner.scan(artifacts: [("conf/server.xml", xml)])
        #expect(report.findings.isEmpty)
        #expect(report.warnings.map(\.code) == [.configTooLarge])
        #expect(report.warnings.first?.artifact == "memory/conf/server.xml")
    }

    /// A `server.xml` of 100,000 AJP connectors, all firing: every one is counted, and only the evidence
    /// the scan keeps is built.
    @Test func aHundredThousandFiringConnectorsAreCountedWithCappedEvidence() throws {
        var xml = "<Server>\n"
        for index in 0..<100_000 { xml += "<Connector port=\"\(10_000 + index)\" protocol=\"AJP/1.3\"/>\n" }
        xml += "</Server>\n"
        var options = ScanOptions()
        options.maxEvidence = 3
        let scanner = Scanner(knowledgeBase: try Fixtures.compiled(), options: options)
        let report = scanner.scan(artifacts: [("conf/server.xml", Array(xml.utf8))])
        let finding = try #require(report.findings.first)
        #expect(finding.count == 100_000)
        #expect(finding.evidence.map(\.line) == [2, 3, 4])
        #expect(finding.message == "AJP on port 10000")
    }
}
