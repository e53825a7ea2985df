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
}
