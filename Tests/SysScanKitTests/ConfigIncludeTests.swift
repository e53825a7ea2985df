import Foundation
import Testing

@testable import SysScanKit

/// httpd and sshd configurations are judged as their daemons read them: a main file with the files it
/// includes, in include order (sshd's first value wins, so a drop-in included first overrides), and an
/// include that names no file of the upload is reported, not guessed.
@Suite struct ConfigIncludeTests {
    static let knowledgeBase: CompiledKnowledgeBase? = try? RuleCompiler.compile(
        try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues))

    static func scan(_ artifacts: [(String, String)]) throws -> ScanReport {
        let knowledgeBase = try #require(Self.knowledgeBase)
        return Scanner(knowledgeBase: knowledgeBase).scan(artifacts: artifacts.map { ($0.0, Array($0.1.utf8)) })
    }

    static let dropIn = "PermitRootLogin yes\nPasswordAuthentication yes\n"

    @Test func aDropInIncludedFirstOverridesTheMainFile() throws {
        let main = "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication no\n"
        let report = try Self.scan([
            ("etc/ssh/sshd_config", main), ("etc/ssh/sshd_config.d/50-cloud-init.conf", Self.dropIn),
        ])
        let finding = try #require(report.findings.first { $0.rule == "SSHD-PERMIT-ROOT-LOGIN" })
        #expect(finding.evidence.first?.entry == "etc/ssh/sshd_config.d/50-cloud-init.conf")
        #expect(finding.evidence.first?.line == 1)
    }

    @Test func aDropInIncludedLastDoesNotOverrideWhatTheMainFileSetFirst() throws {
        let main = "PermitRootLogin no\nPasswordAuthentication no\nInclude /etc/ssh/sshd_config.d/*.conf\n"
        let report = try Self.scan([
            ("etc/ssh/sshd_config", main), ("etc/ssh/sshd_config.d/50-cloud-init.conf", Self.dropIn),
        ])
        #expect(!report.findings.contains { $0.rule == "SSHD-PERMIT-ROOT-LOGIN" })
    }

    @Test func httpdIncludesAreReadRelativeToServerRootAndAMissingOneIsReported() throws {
        let main = """
            ServerRoot "/etc/httpd"
            Listen 80
            Include conf.modules.d/*.conf
            IncludeOptional conf.d/*.conf
            Include conf/extra/httpd-ssl.conf

            """
        let report = try Self.scan([
            ("etc/httpd/conf/httpd.conf", main), ("etc/httpd/conf.d/security.conf", "ServerTokens Prod\n"),
        ])
        #expect(!report.findings.contains { $0.rule == "HTTPD-SERVER-TOKENS-VERBOSE" })
        let missing = report.warnings.filter { $0.code == .includeMissing }
        #expect(missing.count == 1)
        #expect(missing.first?.message.contains("httpd.conf:5: Include conf/extra/httpd-ssl.conf") == true)

        let verbose = try Self.scan([
            ("etc/httpd/conf/httpd.conf", main), ("etc/httpd/conf.d/security.conf", "ServerTokens OS\n"),
        ])
        let finding = try #require(verbose.findings.first { $0.rule == "HTTPD-SERVER-TOKENS-VERBOSE" })
        #expect(finding.evidence.first?.entry == "etc/httpd/conf.d/security.conf")
    }

    @Test func includePathsMatchTheEndOfTheUploadsPaths() {
        let files = [
            "etc/httpd/conf/httpd.conf", "etc/httpd/conf.d/b.conf", "etc/httpd/conf.d/a.conf", "other/conf.d/x.txt",
        ]
        .map { ConfigTree.File(name: ArtifactName(display: $0, entry: $0, nesting: 0), text: "", format: .httpd) }
        var withInclude = files
        withInclude[0] = ConfigTree.File(
            name: files[0].name, text: "ServerRoot /etc/httpd\nInclude conf.d/*.conf\n", format: .httpd)
        let tree = ConfigTree(files: withInclude)
        #expect(tree.resolved.map(\.root) == [0, 3])
        #expect(tree.alone == [3])
        #expect(tree.missing.isEmpty)
        #expect(ConfigTree.arguments("\"/etc/my dir/*.conf\" b.conf") == ["/etc/my dir/*.conf", "b.conf"])
    }
}
