import Foundation
import Testing

@testable import SysScanKit

/// A finding is a claim to a customer: the knowledge base stays silent on current stock configurations
/// and on real logs of healthy systems, and still finds what old defaults really expose.
@Suite struct StockInstallTests {
    static let corpus = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static func file(_ path: String) throws -> String? {
        let url = corpus.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func scan(_ artifacts: [(String, String)]) throws -> ScanReport {
        let knowledgeBase = try RuleCompiler.compile(try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))
        var options = ScanOptions()
        options.now = Date(timeIntervalSince1970: 1_795_000_000)
        return Scanner(knowledgeBase: knowledgeBase, options: options)
            .scan(artifacts: artifacts.map { ($0.0, Array($0.1.utf8)) })
    }

    /// The start-up log of a current default Tomcat on a current JDK.
    static let currentCatalinaOut = """
        02-Dec-2026 08:00:01.511 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/11.0.15
        02-Dec-2026 08:00:01.513 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log OS Name:               Linux
        02-Dec-2026 08:00:01.515 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log JVM Version:           21.0.9+10-LTS
        02-Dec-2026 08:00:02.220 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [702] milliseconds

        """

    /// httpd's templates with their build-time placeholders filled as a default `make install` does.
    static func httpdTemplate(_ text: String) -> String {
        var text = text
        for (placeholder, value) in [
            ("@@Port@@", "80"), ("@@SSLPort@@", "443"), ("@@ServerRoot@@", "/usr/local/apache2"),
            ("@exp_runtimedir@", "logs"), ("@exp_logfiledir@", "logs"), ("@exp_sysconfdir@", "conf"),
            ("@exp_htdocsdir@", "/usr/local/apache2/htdocs"), ("@exp_cgidir@", "/usr/local/apache2/cgi-bin"),
            ("@exp_errordir@", "/usr/local/apache2/error"), ("@exp_iconsdir@", "/usr/local/apache2/icons"),
            ("@exp_manualdir@", "/usr/local/apache2/manual"), ("@rel_sysconfdir@", "conf"),
            ("@rel_logfiledir@", "logs"), ("@rel_runtimedir@", "logs"),
        ] {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return text
    }

    @Test func currentStockConfigurationsGiveNoCriticalOrHighFinding() throws {
        guard let server = try Self.file("configs/apache-tomcat/conf/server.xml"),
            let web = try Self.file("configs/apache-tomcat/conf/web.xml"),
            let users = try Self.file("configs/apache-tomcat/conf/tomcat-users.xml"),
            let context = try Self.file("configs/apache-tomcat/conf/context.xml"),
            let catalina = try Self.file("configs/apache-tomcat/conf/catalina.properties"),
            let logging = try Self.file("configs/apache-tomcat/conf/logging.properties"),
            let sshd = try Self.file("configs/openssh-portable/sshd_config"),
            let httpd = try Self.file("configs/apache-httpd/docs/conf/httpd.conf.in"),
            let httpdDefault = try Self.file("configs/apache-httpd/docs/conf/extra/httpd-default.conf.in"),
            let httpdMPM = try Self.file("configs/apache-httpd/docs/conf/extra/httpd-mpm.conf.in"),
            let httpdSSL = try Self.file("configs/apache-httpd/docs/conf/extra/httpd-ssl.conf.in")
        else {
            print("StockInstallTests: \(Self.corpus.path) not found; skipped")
            return
        }
        let report = try Self.scan([
            ("tomcat/conf/server.xml", server), ("tomcat/conf/web.xml", web),
            ("tomcat/conf/tomcat-users.xml", users), ("tomcat/conf/context.xml", context),
            ("tomcat/conf/catalina.properties", catalina), ("tomcat/conf/logging.properties", logging),
            ("tomcat/logs/catalina.out", Self.currentCatalinaOut), ("etc/ssh/sshd_config", sshd),
            ("httpd/conf/httpd.conf", Self.httpdTemplate(httpd)),
            ("httpd/conf/extra/httpd-default.conf", Self.httpdTemplate(httpdDefault)),
            ("httpd/conf/extra/httpd-mpm.conf", Self.httpdTemplate(httpdMPM)),
            ("httpd/conf/extra/httpd-ssl.conf", Self.httpdTemplate(httpdSSL)),
        ])
        #expect(report.artifacts.count == 12)
        let serious = report.findings.filter { $0.severity >= .high }.map(\.rule)
        #expect(serious.isEmpty, "critical or high findings on a stock install: \(serious)")
    }

    @Test func tomcat9030sDefaultAJPConnectorIsStillGhostcat() throws {
        guard let old = try Self.file("configs/apache-tomcat/conf/server-old-4fab4cc0.xml") else {
            print("StockInstallTests: \(Self.corpus.path) not found; skipped")
            return
        }
        let log = Self.currentCatalinaOut.replacingOccurrences(
            of: "Apache Tomcat/11.0.15", with: "Apache Tomcat/9.0.30")
        let report = try Self.scan([("tomcat/conf/server.xml", old), ("tomcat/logs/catalina.out", log)])
        let ghostcat = report.findings.first { $0.rule == "TOMCAT-AJP-NO-SECRET" }
        #expect(ghostcat?.severity == .critical)
        #expect(ghostcat?.evidence.contains { $0.entry == "tomcat/conf/server.xml" } == true)
    }

    /// The loghub logs laid out as the kinds a knowledge base knows, and the findings they really hold.
    @Test func realLogsOfHealthySystemsGiveOnlyTheirTruePositives() throws {
        let layout = [
            ("Apache_2k.log", "httpd/logs/error_log"), ("OpenSSH_2k.log", "var/log/secure"),
            ("Linux_2k.log", "var/log/messages"), ("HDFS_2k.log", "logs/hdfs.log"),
            ("Hadoop_2k.log", "logs/hadoop.log"),
            ("Spark_2k.log", "logs/spark.log"), ("Zookeeper_2k.log", "logs/zookeeper.log"),
            ("HealthApp_2k.log", "logs/healthapp.log"), ("Android_2k.log", "logs/android.log"),
            ("BGL_2k.log", "var/log/messages.1"), ("HPC_2k.log", "var/log/messages.2"),
            ("Thunderbird_2k.log", "var/log/messages.3"), ("Mac_2k.log", "var/log/system.log"),
            ("OpenStack_2k.log", "logs/openstack.log"), ("Proxifier_2k.log", "logs/proxifier.log"),
            ("Windows_2k.log", "logs/windows.log"),
        ]
        var artifacts: [(String, String)] = []
        for (name, path) in layout {
            guard let text = try Self.file("loghub/\(name)") else { continue }
            artifacts.append((path, text))
        }
        guard artifacts.count >= 3 else {
            print("StockInstallTests: \(Self.corpus.path)/loghub not found; skipped")
            return
        }
        let report = try Self.scan(artifacts)
        // OpenSSH_2k.log holds a real password-guessing burst (hundreds of failures from 183.62.140.253),
        // and 85 "reverse mapping checking getaddrinfo" lines: that sshd looks every client up in DNS.
        let truePositives: Set<String> = ["SSHD-PASSWORD-BRUTE-FORCE", "SSHD-USE-DNS"]
        let unexpected = report.findings.map(\.rule).filter { !truePositives.contains($0) }
        #expect(unexpected.isEmpty, "findings on loghub's logs beyond the known true positives: \(unexpected)")
        #expect(report.findings.contains { $0.rule == "SSHD-PASSWORD-BRUTE-FORCE" })
    }
}
