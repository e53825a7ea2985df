import Foundation
import Testing

@testable import SysScanKit

/// Facts (products and versions an upload shows) are detected once, shown with their proof, and decide
/// version-dependent rules; a rule resting on a fact the upload does not show says so.
@Suite struct FactTests {
    static let knowledgeBase: CompiledKnowledgeBase? = try? RuleCompiler.compile(
        try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))

    static func scan(_ artifacts: [(String, String)]) throws -> ScanReport {
        let knowledgeBase = try #require(Self.knowledgeBase)
        var options = ScanOptions()
        options.now = Date(timeIntervalSince1970: 1_795_000_000)
        return Scanner(knowledgeBase: knowledgeBase, options: options)
            .scan(artifacts: artifacts.map { ($0.0, Array($0.1.utf8)) })
    }

    static let defaultAJPConnector = """
        <Server port="8005" shutdown="SHUTDOWN">
          <Service name="Catalina">
            <Connector port="8009" protocol="AJP/1.3" redirectPort="8443" />
          </Service>
        </Server>
        """

    static func catalinaOut(tomcat: String, java: String = "17.0.16+8-LTS", day: String = "19-Nov-2026") -> String {
        """
        \(day) 22:00:01.515 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/\(tomcat)
        \(day) 22:00:01.529 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log JVM Version:           \(java)

        """
    }

    @Test func theLatestSightingOfAFactWinsAndItsLineIsShown() throws {
        let report = try Self.scan([
            ("tomcat/logs/catalina.2026-11-20.log", Self.catalinaOut(tomcat: "9.0.98", day: "20-Nov-2026")),
            (
                "tomcat/logs/catalina.2025-01-02.log",
                Self.catalinaOut(tomcat: "9.0.30", java: "1.8.0_392-b08", day: "02-Jan-2025")
            ),
            (
                "httpd/logs/error_log",
                "[Fri Nov 20 03:14:01.190661 2026] [mpm_event:notice] [pid 1123:tid 1] AH00489: Apache/2.4.62 (Red Hat Enterprise Linux) OpenSSL/3.2.2 configured -- resuming normal operations\n"
            ),
        ])
        let facts = Dictionary(uniqueKeysWithValues: (report.facts ?? []).map { ($0.name, $0) })
        #expect(facts["tomcat.version"]?.value == "9.0.98")
        #expect(facts["tomcat.version"]?.evidence.entry == "tomcat/logs/catalina.2026-11-20.log")
        #expect(facts["tomcat.version"]?.evidence.line == 1)
        #expect(facts["java.version"]?.value == "17.0.16+8-LTS")
        #expect(facts["httpd.version"]?.value == "2.4.62")
        #expect(TextReport(colour: false).render(report).contains("Detected: httpd.version 2.4.62"))
    }

    @Test func ghostcatFiresOnAnAffectedTomcatOnly() throws {
        let fixed = try Self.scan([
            ("conf/server.xml", Self.defaultAJPConnector), ("logs/catalina.out", Self.catalinaOut(tomcat: "9.0.98")),
        ])
        #expect(!fixed.findings.contains { $0.rule == "TOMCAT-AJP-NO-SECRET" })

        let affected = try Self.scan([
            ("conf/server.xml", Self.defaultAJPConnector), ("logs/catalina.out", Self.catalinaOut(tomcat: "9.0.30")),
        ])
        let finding = try #require(affected.findings.first { $0.rule == "TOMCAT-AJP-NO-SECRET" })
        #expect(finding.severity == .critical)
        #expect(finding.unverified == nil)

        let unknown = try Self.scan([("conf/server.xml", Self.defaultAJPConnector)])
        let assumed = try #require(unknown.findings.first { $0.rule == "TOMCAT-AJP-NO-SECRET" })
        #expect(assumed.severity == .high)
        #expect(assumed.unverified == ["tomcat.version"])
        #expect(JSONReport.render(unknown).contains("\"unverified\" : [\n        \"tomcat.version\""))
    }

    @Test func aBareJDWPPortIsExposedBeforeJDK9Only() throws {
        let line =
            "19-Nov-2026 22:00:02.236 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Command line argument: -agentlib:jdwp=transport=dt_socket,address=8000,server=y,suspend=n\n"
        let modern = try Self.scan([("logs/catalina.out", Self.catalinaOut(tomcat: "9.0.98") + line)])
        #expect(!modern.findings.contains { $0.rule == "JVM-JDWP-DEBUG-AGENT" })
        let old = try Self.scan([
            ("logs/catalina.out", Self.catalinaOut(tomcat: "9.0.98", java: "1.8.0_392-b08") + line)
        ])
        #expect(old.findings.first { $0.rule == "JVM-JDWP-DEBUG-AGENT" }?.severity == .critical)
        let wildcard = line.replacingOccurrences(of: "address=8000", with: "address=*:8000")
        let anyJDK = try Self.scan([("logs/catalina.out", Self.catalinaOut(tomcat: "9.0.98") + wildcard)])
        #expect(anyJDK.findings.first { $0.rule == "JVM-JDWP-DEBUG-AGENT" }?.message.contains("on *:8000") == true)
    }

    @Test func aFactConditionMustNameAFactTheKnowledgeBaseDefines() throws {
        let rule = Fixtures.ajpRule.replacingOccurrences(
            of: "xpath:", with: "all:\n    - fact: { name: tomcat.versoin, version_range: \"< 9.0.31\" }\n    - xpath:")
        let folder = try Fixtures.knowledgeBase(["AJP-OPEN": rule])
        let outcome = try KnowledgeBaseLoader().inspect(directory: folder.path)
        // The rule file is left out (a scan goes on without it) and the mistake is named.
        #expect(outcome.knowledgeBase?.rules.contains { $0.id == "AJP-OPEN" } == false)
        #expect(outcome.diagnostics.contains { $0.level == .error && $0.message.contains("'tomcat.versoin'") })
    }

    @Test(arguments: [
        ("9.0.30", FactCondition.Verdict.holds), ("9.0.31", .fails), ("8.5.50", .holds), ("7.0.100", .fails),
        ("9.0.0.M1", .holds), ("10.1.34", .fails),
    ])
    func versionRangesJudgeTheDetectedVersion(version: String, verdict: FactCondition.Verdict) throws {
        let range = try #require(VersionRange("< 7.0.100 || >= 8.0, < 8.5.51 || >= 9.0.0.M1, < 9.0.31"))
        #expect(FactCondition(name: "tomcat.version", versionRange: range).verdict(version) == verdict)
        #expect(FactCondition(name: "tomcat.version", versionRange: range).verdict(nil) == .unverified)
        #expect(FactCondition(name: "tomcat.version", versionRange: range, whenUnknown: .fails).verdict(nil) == .fails)
    }
}
