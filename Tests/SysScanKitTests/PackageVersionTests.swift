import Foundation
import Testing

@testable import SysScanKit

/// Package versions compare as their package managers compare them: checked against `dpkg
/// --compare-versions` and librpm's `labelCompare` (Debian's python3-rpm) on thousands of generated pairs.
@Suite struct PackageVersionTests {
    /// A random version made of the pieces that make ordering hard: leading zeros, letters, `~`, `^`, `+`.
    static func randomVersion(_ generator: inout SeededGenerator, pieces: String) -> String {
        var text = String(Int.random(in: 0...12, using: &generator))
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let character = pieces.randomElement(using: &generator) ?? "."
            text.append(character)
            switch Int.random(in: 0...3, using: &generator) {
            case 0: text += String(Int.random(in: 0...20, using: &generator))
            case 1: text += "0" + String(Int.random(in: 0...9, using: &generator))
            case 2: text += ["a", "b", "rc", "p", "el", "beta", "Z"].randomElement(using: &generator) ?? "a"
            default: break
            }
        }
        return text
    }

    /// Pairs that are often close (one changed piece), so that most comparisons reach the hard cases.
    static func pairs(count: Int, seed: UInt64, pieces: String) -> [(String, String)] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let a = randomVersion(&generator, pieces: pieces)
            if Bool.random(using: &generator) { return (a, randomVersion(&generator, pieces: pieces)) }
            // The same start with two different endings: every kind of piece meets every other.
            let endings = [".1", "~rc1", "~", "a", "0", "00", "^1", "+b", "+", ".", "Z", "p1", ""]
            let b = a + (endings.randomElement(using: &generator) ?? "")
            return (a + (endings.randomElement(using: &generator) ?? ""), b)
        }
    }

    static func run(_ executable: String, _ arguments: [String], input: String) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func debianVersionsCompareAsDpkgDoes() throws {
        var generator = SeededGenerator(seed: 0xDEB)
        let pairs = Self.pairs(count: 2000, seed: 0xDEB1, pieces: ".+~").map { a, b -> (String, String) in
            // Epochs and revisions on some pairs.
            let epoch = Int.random(in: 0...2, using: &generator)
            let revision = ["", "-1", "-2+deb12u1", "-0ubuntu0.1", "-1~bpo12+1"].randomElement(using: &generator) ?? ""
            return (epoch > 0 ? "\(epoch):\(a)\(revision)" : a + revision, b + revision)
        }
        let script = """
            while read -r a b; do
              if dpkg --compare-versions "$a" lt "$b"; then echo -1
              elif dpkg --compare-versions "$a" eq "$b"; then echo 0
              else echo 1; fi
            done
            """
        let input = pairs.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg"),
            let output = try Self.run("/bin/bash", ["-c", script], input: input)
        else {
            print("PackageVersionTests: dpkg not installed; skipped")
            return
        }
        let expected = output.split(separator: "\n").map { Int($0) ?? 99 }
        #expect(expected.count == pairs.count)
        var mismatches: [String] = []
        for ((a, b), want) in zip(pairs, expected) {
            let got = PackageVersion.compare(PackageVersion(a, ecosystem: .dpkg), PackageVersion(b, ecosystem: .dpkg))
            if got.signum() != want { mismatches.append("\(a) vs \(b): dpkg \(want), here \(got)") }
        }
        #expect(mismatches.count == 0, "\(mismatches.count) of \(pairs.count), e.g. \(mismatches.prefix(5))")
        #expect(Set(expected).count == 3, "the pairs must cover older, equal and newer")
    }

    @Test func rpmVersionsCompareAsLibrpmDoes() throws {
        var generator = SeededGenerator(seed: 0x4E7)
        let pairs = Self.pairs(count: 3000, seed: 0x4E71, pieces: "._+~^").map { a, b -> (String, String) in
            let release =
                ["1", "38.el9", "38.el9_4.1", "2.fc40", "1.module+el8.9.0+19"].randomElement(using: &generator) ?? "1"
            let other = Bool.random(using: &generator) ? release : "38.el9_4"
            return ("\(a)-\(release)", "\(b)-\(other)")
        }
        let script = """
            import rpm, sys
            for line in sys.stdin:
                a, b = line.split()
                va, ra = a.rsplit("-", 1)
                vb, rb = b.rsplit("-", 1)
                print(rpm.labelCompare(("0", va, ra), ("0", vb, rb)))
            """
        let input = pairs.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
        guard let output = try Self.run("/usr/bin/python3", ["-c", script], input: input),
            !output.isEmpty
        else {
            print("PackageVersionTests: python3-rpm not installed; skipped")
            return
        }
        let expected = output.split(separator: "\n").map { Int($0) ?? 99 }
        #expect(expected.count == pairs.count)
        var mismatches: [String] = []
        for ((a, b), want) in zip(pairs, expected) {
            let got = PackageVersion.compare(PackageVersion(a, ecosystem: .rpm), PackageVersion(b, ecosystem: .rpm))
            if got.signum() != want { mismatches.append("\(a) vs \(b): rpm \(want), here \(got)") }
        }
        #expect(mismatches.count == 0, "\(mismatches.count) of \(pairs.count), e.g. \(mismatches.prefix(5))")
        #expect(Set(expected).count == 3)
    }

    @Test func packageListsOfEachManagerAreRead() {
        let rpm = PackageList(text: "openssh-server-8.7p1-38.el9_4.1.x86_64\nbash-5.1.8-9.el9.x86_64\n")
        #expect(rpm.packages.map(\.name) == ["openssh-server", "bash"])
        #expect(rpm.packages.first?.version.release == "38.el9_4.1")
        let dpkg = PackageList(
            text: """
                Desired=Unknown/Install/Remove/Purge/Hold
                ||/ Name           Version           Architecture Description
                +++-==============-=================-============-=================================
                ii  openssh-server 1:9.2p1-2+deb12u3 amd64        secure shell (SSH) server
                rc  oldpkg         1.0-1             amd64        removed, config files left
                ii  libc6:amd64    2.36-9+deb12u7    amd64        GNU C Library
                """)
        #expect(dpkg.packages.map(\.name) == ["openssh-server", "oldpkg", "libc6"])
        #expect(dpkg.packages.first?.version.epoch == 1)
        #expect(dpkg.packages.first?.line == 4)
        let apk = PackageList(text: "openssh-server-9.7_p1-r4\n")
        #expect(apk.packages.first?.version.upstream == "9.7_p1")
    }

    @Test(arguments: [
        ("openssh-server-8.7p1-38.el9.x86_64", true), ("openssh-server-8.7p1-38.el9_4.1.x86_64", false),
        ("openssh-server-8.7p1-43.el9.x86_64", false), ("openssh-server-9.8p1-1.fc40.x86_64", false),
        ("openssh-server-8.0p1-24.el8.x86_64", false), ("openssh-server-9.6p1-1.fc39.x86_64", true),
        ("ii  openssh-server 1:9.2p1-2+deb12u2 amd64 ssh server", true),
        ("ii  openssh-server 1:9.2p1-2+deb12u3 amd64 ssh server", false),
    ])
    func fixedReleasesOfADistributionAreNotAffected(line: String, affected: Bool) throws {
        let condition = PackageCondition(
            name: "openssh-server", versionRange: ">= 8.5p1, < 9.8p1",
            fixedIn: ["8.7p1-38.el9_4.1", "1:9.2p1-2+deb12u3"])
        let package = try #require(PackageList(text: line).packages.first)
        #expect(condition.affects(package) == affected)
    }
}
