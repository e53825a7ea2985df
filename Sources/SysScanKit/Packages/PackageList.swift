/// The packages a package list of an upload names: `rpm -qa` (`name-version-release.arch`, optionally
/// with `epoch:`), `dpkg -l` (`ii  name[:arch]  [epoch:]version  arch  description`) or `apk info -v`
/// (`name-version-rN`), one package a line; other lines (headers, blanks) are skipped.
public struct PackageList: Sendable {
    /// One installed package.
    public struct Package: Sendable, Hashable {
        /// The package's name (without architecture).
        public var name: String
        /// Its version.
        public var version: PackageVersion
        /// The line it is on, from 1.
        public var line: Int
    }

    /// The packages, in the list's order.
    public private(set) var packages: [Package] = []

    private static let architectures: Set<String> = [
        "x86_64", "noarch", "i686", "i386", "aarch64", "ppc64le", "ppc64", "s390x", "armv7hl", "src",
    ]

    /// Parses a package list's text.
    public init(text: String) {
        // By Character: "\r\n" is one Character in Swift, so CRLF lists split as LF ones do.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            if let package = Self.dpkgLine(line) ?? Self.rpmOrApkLine(line) {
                packages.append(Package(name: package.0, version: package.1, line: index + 1))
            }
        }
    }

    /// A `dpkg -l` line of an installed package (status `ii`, `hi`, `iU`…: the second letter is not `n`).
    private static func dpkgLine(_ line: String) -> (String, PackageVersion)? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 3, fields[0].count == 2 || fields[0].count == 3,
            fields[0].allSatisfy({ $0.isLetter }), fields[0].first.map({ "uihrp".contains($0) }) == true,
            Array(fields[0])[1] != "n"
        else { return nil }
        let name = fields[1].split(separator: ":").first.map(String.init) ?? String(fields[1])
        guard fields[2].first?.isNumber == true else { return nil }
        return (name, PackageVersion(String(fields[2]), ecosystem: .dpkg))
    }

    /// An `rpm -qa` line (`name-[epoch:]version-release.arch`) or an `apk info -v` line (`name-version-rN`).
    private static func rpmOrApkLine(_ line: String) -> (String, PackageVersion)? {
        guard !line.contains(" "), !line.contains("\t") else { return nil }
        var rest = Substring(line)
        var ecosystem = PackageVersion.Ecosystem.rpm
        if let dot = rest.lastIndex(of: "."), architectures.contains(String(rest[rest.index(after: dot)...])) {
            rest = rest[..<dot]
        } else if let dash = rest.lastIndex(of: "-"), rest[rest.index(after: dash)...].first == "r",
            rest[rest.index(dash, offsetBy: 2)...].allSatisfy(\.isNumber)
        {
            ecosystem = .apk
        } else {
            return nil
        }
        guard let releaseDash = rest.lastIndex(of: "-") else { return nil }
        let head = rest[..<releaseDash]
        guard let versionDash = head.lastIndex(of: "-") else { return nil }
        let name = head[..<versionDash]
        let version = rest[rest.index(after: versionDash)...]
        guard !name.isEmpty, version.first?.isNumber == true else { return nil }
        return (String(name), PackageVersion(String(version), ecosystem: ecosystem))
    }
}
