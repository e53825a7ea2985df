import Foundation

@testable import SysScanKit

/// Paths and small knowledge bases for the tests.
enum Fixtures {
    /// The package's root folder.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The project's knowledge base.
    static var knownIssues: String { packageRoot.appendingPathComponent("KnownIssues").path }

    /// A new empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sysscan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `files` (relative path → content) below a new temporary folder and returns it.
    static func folder(_ files: [String: String]) throws -> URL {
        let root = try temporaryFolder()
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return root
    }

    static let manifest = """
        version: "test-1"
        kinds:
          - name: tomcat-server-xml
            format: xml
            paths: ["**/conf/server.xml"]
          - name: java-properties
            format: properties
            paths: ["*.properties"]
          - name: app-log
            format: log
            paths: ["*.log", "*.out"]
        """

    static let ajpRule = """
        id: AJP-OPEN
        title: AJP without secret
        category: security
        severity: critical
        applies_to: [tomcat-server-xml]
        when:
          xpath: "//Connector[starts-with(@protocol,'AJP')][not(@secret)]"
        message: "AJP on port {{port}}"
        recommendation: Set a secret.
        references:
          - cve: CVE-2020-1938
        examples:
          triggering:
            - artifact: conf/server.xml
              content: |
                <Server>
                ↓<Connector port="8009" protocol="AJP/1.3"/>
                </Server>
          non_triggering:
            - artifact: conf/server.xml
              content: |
                <Server><Connector port="8009" protocol="AJP/1.3" secret="x"/></Server>
        """

    static let oomRule = """
        id: OOM-HEAP
        title: Heap exhausted
        category: stability
        severity: high
        applies_to: [app-log]
        when:
          log:
            regex: 'OutOfMemoryError: (?<what>Java heap space)'
            min_count: 2
        message: "{{count}} times: {{what}}"
        recommendation: Raise -Xmx.
        references:
          - article: KB-JVM-0001
        examples:
          triggering:
            - artifact: logs/app.log
              content: |
                ↓2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space
                2026-11-20 10:00:01,000 INFO fine
                ↓2026-11-20 10:05:00,000 ERROR java.lang.OutOfMemoryError: Java heap space
          non_triggering:
            - artifact: logs/app.log
              content: |
                2026-11-20 10:00:00,000 ERROR java.lang.OutOfMemoryError: Java heap space
        """

    static let jmxRule = """
        id: JMX-NO-AUTH
        title: JMX without authentication
        category: security
        severity: high
        applies_to: [java-properties]
        when:
          property: { key: com.sun.management.jmxremote.authenticate, op: eq, value: "false", default: "true" }
        message: "{{key}}={{value}}"
        recommendation: Enable authentication.
        references:
          - url: https://docs.oracle.com/en/java/javase/17/management/monitoring-and-management-using-jmx-technology.html
        examples:
          triggering:
            - artifact: conf/management.properties
              content: |
                com.sun.management.jmxremote.port=9010
                ↓com.sun.management.jmxremote.authenticate=false
          non_triggering:
            - artifact: conf/management.properties
              content: |
                com.sun.management.jmxremote.port=9010
        """

    /// A knowledge-base folder with the manifest and the given rule files (id → text).
    static func knowledgeBase(
        _ rules: [String: String] = ["AJP-OPEN": ajpRule, "OOM-HEAP": oomRule, "JMX-NO-AUTH": jmxRule]
    )
        throws -> URL
    {
        var files = ["knowledge-base.yaml": manifest]
        for (id, text) in rules { files["rules/\(id).yaml"] = text }
        return try folder(files)
    }

    /// The compiled knowledge base made of the three rules above.
    static func compiled() throws -> CompiledKnowledgeBase {
        try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: try knowledgeBase().path))
    }
}
