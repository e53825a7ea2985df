import Foundation
import Testing

@testable import SysScanKit

/// Each v1 condition kind, through the real loader, compiler and scanner.
struct ConditionTests {
    static let manifest = """
        version: "conditions-1"
        kinds:
          - { name: tomcat-server-xml, format: xml, paths: ["**/conf/server.xml"] }
          - { name: java-properties, format: properties, paths: ["*.properties"] }
          - { name: sshd-config, format: sshd, paths: ["sshd_config"] }
          - { name: httpd-conf, format: httpd, paths: ["httpd.conf"] }
          - { name: jvm-options, format: text, paths: ["setenv.sh"] }
          - { name: app-log, format: log, paths: ["*.log", "*.out"] }
        """

    /// Scans `artifacts` with one rule whose `applies_to` and `when` are given, and returns the report.
    static func scan(appliesTo: String, when: String, _ artifacts: [(String, String)]) throws -> ScanReport {
        let rule = """
            id: TEST-RULE
            title: test
            category: stability
            severity: high
            applies_to: [\(appliesTo)]
            when:
            \(when.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            message: "value={{value}} count={{count}} version={{version}} ms={{ms}}"
            recommendation: none
            references: [{ article: KB-TEST-0001 }]
            """
        let folder = try Fixtures.folder(["knowledge-base.yaml": manifest, "rules/TEST-RULE.yaml": rule])
        let kb = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: folder.path))
        return Scanner(knowledgeBase: kb).scan(artifacts: artifacts.map { ($0.0, Array($0.1.utf8)) })
    }

    static func fired(_ report: ScanReport) -> Finding? { report.findings.first { $0.rule == "TEST-RULE" } }

    @Test func sshdTakesTheFirstValueAndMatchBlocksWhenAsked() throws {
        let config =
            "# PermitRootLogin yes\nPermitRootLogin no\nPermitRootLogin yes\nMatch User backup\n  PermitRootLogin yes\n"
        let global = try Self.scan(
            appliesTo: "sshd-config", when: "directive: { name: PermitRootLogin, op: eq, value: 'yes' }",
            [("etc/ssh/sshd_config", config)])
        #expect(Self.fired(global) == nil, "the first occurrence (no) wins in sshd")
        let any = try Self.scan(
            appliesTo: "sshd-config", when: "directive: { name: permitrootlogin, op: eq, value: 'yes', scope: any }",
            [("etc/ssh/sshd_config", config)])
        #expect(Self.fired(any)?.evidence.map(\.line) == [5])
        let defaulted = try Self.scan(
            appliesTo: "sshd-config",
            when: "directive: { name: PasswordAuthentication, op: eq, value: 'yes', default: 'yes' }",
            [("etc/ssh/sshd_config", "#PasswordAuthentication no\n")])
        #expect(
            Self.fired(defaulted)?.evidence.first?.text == "PasswordAuthentication is not set; the default yes applies")
    }

    @Test func httpdTakesTheLastValueOutsideBlocks() throws {
        let config =
            "ServerTokens Prod\n<VirtualHost *:80>\n  ServerTokens Full\n</VirtualHost>\nServerTokens \\\n  Full\n"
        let report = try Self.scan(
            appliesTo: "httpd-conf", when: "directive: { name: ServerTokens, op: matches, value: '^(Full|OS)$' }",
            [("conf/httpd.conf", config)])
        #expect(Self.fired(report)?.evidence.map(\.line) == [5])
        #expect(Self.fired(report)?.message.hasPrefix("value=Full") == true)
    }

    @Test func jvmOptionsCompareSizesInBytesAndTheLastOneWins() throws {
        let script = "JAVA_OPTS=\"-Xms4g -Xmx8g\"\nCATALINA_OPTS=\"$CATALINA_OPTS -Xmx48g -XX:+UseConcMarkSweepGC\"\n"
        let big = try Self.scan(
            appliesTo: "jvm-options", when: "jvm_option: { option: -Xmx, op: gt, value: 31g }",
            [("bin/setenv.sh", script)])
        #expect(Self.fired(big)?.evidence.map(\.line) == [2])
        let cms = try Self.scan(
            appliesTo: "jvm-options", when: "jvm_option: { option: -XX:+UseConcMarkSweepGC, op: present }",
            [("bin/setenv.sh", script)])
        #expect(Self.fired(cms) != nil)
        let logged = try Self.scan(
            appliesTo: "app-log",
            when: "jvm_option: { option: -Dcom.sun.management.jmxremote.authenticate, op: eq, value: 'false' }",
            [
                (
                    "logs/catalina.out",
                    "20-Nov-2026 10:00:00.000 INFO [main] Command line argument: -Dcom.sun.management.jmxremote.authenticate=false\n"
                )
            ])
        #expect(Self.fired(logged)?.evidence.map(\.line) == [1])
        let absent = try Self.scan(
            appliesTo: "jvm-options", when: "jvm_option: { option: -Xss, op: present }", [("bin/setenv.sh", script)])
        #expect(Self.fired(absent) == nil)
    }

    @Test func fileConditionsMatchPathsAndVersionRanges() throws {
        let files = [
            ("webapps/app/WEB-INF/lib/log4j-core-2.14.1.jar", "PK"), ("lib/log4j-core-2.17.1.jar", "PK"),
            ("lib/log4j-api-2.14.1.jar", "PK"),
        ]
        let when = """
            file:
              glob: "**/log4j-core-*.jar"
              version: 'log4j-core-(?<version>[0-9][^/]*)\\.jar$'
              version_range: ">= 2.0-beta9, < 2.17.1"
            """
        let report = try Self.scan(appliesTo: "upload", when: when, files)
        let finding = try #require(Self.fired(report))
        #expect(finding.count == 1)
        #expect(finding.evidence.map(\.entry) == ["webapps/app/WEB-INF/lib/log4j-core-2.14.1.jar"])
        #expect(finding.message.contains("version=2.14.1"))
        let absent = try Self.scan(
            appliesTo: "upload", when: "file: { glob: 'conf/server.xml', present: false }", files)
        #expect(Self.fired(absent) != nil)
    }

    @Test(arguments: [
        ("2.14.1", ">= 2.0-beta9, < 2.17.1", true), ("2.0-beta9", ">= 2.0-beta9, < 2.17.1", true),
        ("2.0-alpha1", ">= 2.0-beta9, < 2.17.1", false), ("2.17.1", ">= 2.0-beta9, < 2.17.1", false),
        ("2.3.2", "< 2.3.2 || >= 2.4, < 2.12.4", false), ("2.12.3", "< 2.3.2 || >= 2.4, < 2.12.4", true),
        ("9.6p1", ">= 8.5p1, < 9.8p1", true), ("8.5", ">= 8.5p1", false), ("9.0.31", "< 9.0.31", false),
        ("9.0.30", "= 9.0.30.0", true),
    ])
    func versionsCompareAsPeopleExpect(version: String, range: String, expected: Bool) throws {
        let parsed = try #require(VersionRange(range))
        #expect(parsed.contains(try #require(Version(version))) == expected)
    }

    @Test func withinNeedsTheCountInsideOneWindow() throws {
        let when = "log: { regex: 'OutOfMemoryError', min_count: 3, within: 10m }"
        let spread = (0..<3).map { "2026-11-20 1\($0):00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space" }
            .joined(separator: "\n")
        #expect(Self.fired(try Self.scan(appliesTo: "app-log", when: when, [("a.log", spread)])) == nil)
        let burst = (0..<3).map { "2026-11-20 10:0\($0):00,000 ERROR java.lang.OutOfMemoryError: Java heap space" }
            .joined(separator: "\n")
        #expect(
            Self.fired(try Self.scan(appliesTo: "app-log", when: when, [("a.log", spread + "\n" + burst)]))?.count == 6)
    }

    @Test func aNumericCaptureCountsOnlyLinesAboveTheThreshold() throws {
        let when = "log: { regex: 'Pause Young .* (?<ms>[0-9.]+)ms', capture: ms, above: 500, min_count: 1 }"
        let log =
            "[1s] GC(1) Pause Young (Normal) 10M->5M(20M) 12.5ms\n[2s] GC(2) Pause Young (Normal) 10M->5M(20M) 812.3ms\n"
        let finding = try #require(Self.fired(try Self.scan(appliesTo: "app-log", when: when, [("gc.log", log)])))
        #expect(finding.count == 1)
        #expect(finding.evidence.map(\.line) == [2])
        #expect(finding.message.contains("ms=812.3"))
    }

    @Test func followedByPairsLinesWithinTheWindow() throws {
        let when = """
            log:
              regex: 'OutOfMemoryError'
              followed_by: { regex: 'Server startup in', within: 5m }
            """
        let log = """
            2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space
            2026-11-20 10:20:00,000 INFO Server startup in [4000] milliseconds
            2026-11-20 11:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space
            2026-11-20 11:02:00,000 INFO Server startup in [4000] milliseconds
            """
        let finding = try #require(Self.fired(try Self.scan(appliesTo: "app-log", when: when, [("app.log", log)])))
        #expect(finding.count == 1)
        #expect(finding.evidence.map(\.line) == [3, 4])
    }

    @Test func combinationsAndNotEvaluatedRules() throws {
        let when = """
            all:
              - xpath: "//Connector[starts-with(@protocol,'AJP')]"
              - not: { xpath: "//Connector[@secret]" }
            """
        let open = try Self.scan(
            appliesTo: "tomcat-server-xml", when: when,
            [("conf/server.xml", "<Server><Connector protocol=\"AJP/1.3\"/></Server>")])
        #expect(Self.fired(open) != nil)
        let closed = try Self.scan(
            appliesTo: "tomcat-server-xml", when: when,
            [("conf/server.xml", "<Server><Connector protocol=\"AJP/1.3\" secret=\"s\"/></Server>")])
        #expect(Self.fired(closed) == nil)
        let missing = try Self.scan(
            appliesTo: "tomcat-server-xml", when: "not: { xpath: '//Connector' }", [("a.log", "x")])
        #expect(missing.findings.isEmpty)
        #expect(missing.notEvaluated.map(\.rule) == ["TEST-RULE"])
        let any = try Self.scan(
            appliesTo: "tomcat-server-xml, app-log", when: "any: [{ xpath: '//Nothing' }, { log: { regex: 'boom' } }]",
            [("a.log", "boom\n")])
        #expect(Self.fired(any)?.evidence.map(\.line) == [1])
    }
}

extension ConditionTests {
    @Test func commentedStartScriptLinesSetNoOptionAndValuesKeepTheirCommas() throws {
        let script =
            "# CATALINA_OPTS=\"-Dcom.sun.management.jmxremote.authenticate=false\"\nJAVA_OPTS=\"-agentlib:jdwp=transport=dt_socket,server=y,address=*:8000\"\n"
        let commented = try Self.scan(
            appliesTo: "jvm-options",
            when: "jvm_option: { option: -Dcom.sun.management.jmxremote.authenticate, op: present }",
            [("bin/setenv.sh", script)])
        #expect(Self.fired(commented) == nil)
        let jdwp = try Self.scan(
            appliesTo: "jvm-options", when: "jvm_option: { option: -agentlib:jdwp, op: contains, value: 'server=y' }",
            [("bin/setenv.sh", script)])
        #expect(Self.fired(jdwp)?.evidence.map(\.line) == [2])
    }
}
