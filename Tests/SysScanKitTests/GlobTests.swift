import Testing

@testable import SysScanKit

struct GlobTests {
    @Test(arguments: [
        ("catalina.out", "tomcat/logs/catalina.out", true),
        ("catalina.*.log", "logs/catalina.2026-11-20.log", true),
        ("catalina.*.log", "logs/catalina.out", false),
        ("*.log", "a/b/c.log", true),
        ("*.log.[0-9]*", "gc.log.3", true),
        ("*.log.[0-9]*", "gc.log.x", false),
        ("**/conf/server.xml", "conf/server.xml", true),
        ("**/conf/server.xml", "opt/tomcat/conf/server.xml", true),
        ("**/conf/server.xml", "opt/tomcat/conf/extra/server.xml", false),
        ("**/conf/Catalina/*/*.xml", "x/conf/Catalina/localhost/app.xml", true),
        ("gc-*.log", "gc-2026-11-20.log", true),
        ("[!a]*.txt", "b.txt", true),
        ("[!a]*.txt", "a.txt", false),
        ("hs_err_pid*.log", "dumps/hs_err_pid4242.log", true),
    ])
    func globsMatchPaths(glob: String, path: String, expected: Bool) {
        #expect(Glob(glob).matches(path) == expected)
    }

    @Test func theLocatorTakesTheFirstKindAndSeesNestedArchivesAsFolders() {
        let locator = ArtifactLocator(kinds: [
            ArtifactKind(name: "tomcat-log", format: .log, paths: ["catalina.out"]),
            ArtifactKind(name: "app-log", format: .log, paths: ["*.log", "*.out"]),
        ])
        #expect(locator.kind(for: "./logs/catalina.out")?.name == "tomcat-log")
        #expect(locator.kind(for: "logs/ms.zip!/MethodServer-01.log")?.name == "app-log")
        #expect(locator.kind(for: "logs/readme.txt") == nil)
    }

    /// The compiled set picks, for every path, the glob a one-by-one scan in order picks first: the
    /// project's own artifact kinds over paths built from every name, ending and folder they mention.
    @Test func theGlobSetAgreesWithTryingEachGlobInOrder() throws {
        let kinds = try KnowledgeBaseLoader().load(directory: Fixtures.knownIssues).kinds
        let patterns = kinds.flatMap(\.paths)
        let set = GlobSet(patterns)
        let globs = patterns.map(Glob.init)
        var names: Set<String> = [
            "a.log", "x.gc.log", "gc.log.3", "gc.log.x", "catalina.2026.log", "server.xml", "messages-1",
            "error_log", "enabled", "app.xml", "readme.txt", "log4j2-test.xml", "hs_err_pid1.log", "[x].log",
            "sysctl.conf", "a.conf",
        ]
        for pattern in patterns {
            let last = pattern.split(separator: "/").last.map(String.init) ?? pattern
            names.insert(last.replacingOccurrences(of: "*", with: "v1").replacingOccurrences(of: "[0-9]", with: "7"))
            names.insert(last.replacingOccurrences(of: "*", with: ""))
        }
        let folders = [
            "", "conf/", "opt/tomcat/conf/", "logs/", "x/WEB-INF/", "etc/sysctl.d/", "gc/", "up.zip!/conf/",
            "./logs/", "/etc/", "conf/Catalina/localhost/", "sys/kernel/mm/transparent_hugepage/", "etc/httpd/conf.d/",
        ]
        var checked = 0
        for folder in folders {
            for name in names {
                let path = folder + name
                let normalized = ArtifactLocator.normalize(path)
                let expected = globs.firstIndex { $0.matches(normalized) }
                #expect(set.firstMatch(path) == expected, "\(path)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }
}
