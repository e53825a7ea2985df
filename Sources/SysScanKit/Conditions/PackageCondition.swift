/// A condition on the packages an upload's package lists name: a package installed, in an upstream
/// version range, unless its distribution release carries the fix (`fixed_in`).
public struct PackageCondition: Sendable {
    /// The package's name (`openssh-server`).
    public var name: String
    /// The upstream versions affected (`>= 8.5p1, < 9.8p1`): `,` is and, `||` is or; compared in the
    /// package's own ecosystem order.
    public var versionRange: String?
    /// Distribution releases that carry the fix for an affected upstream version
    /// (`8.7p1-38.el9_4.1`, `1:9.2p1-2+deb12u3`): a package of the same upstream version at or above one
    /// is not affected.
    public var fixedIn: [String]

    /// Creates a package condition.
    public init(name: String, versionRange: String? = nil, fixedIn: [String] = []) {
        self.name = name
        self.versionRange = versionRange
        self.fixedIn = fixedIn
    }

    /// Why `text` is not a range of package versions, or nil when it is one.
    public static func rangeProblem(_ text: String) -> String? {
        for alternative in text.components(separatedBy: "||") {
            let bounds = alternative.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.contains(where: { !$0.isEmpty }) else { return "an alternative of '\(text)' is empty" }
            for bound in bounds where !bound.isEmpty {
                let version = bound.drop { "<>=!".contains($0) }.trimmingCharacters(in: .whitespaces)
                if version.isEmpty || version.first?.isNumber != true {
                    return "'\(bound)' is not a bound such as '< 9.8p1'"
                }
            }
        }
        return nil
    }

    /// Whether an installed package is affected.
    func affects(_ package: PackageList.Package) -> Bool {
        guard package.name == name else { return false }
        let version = package.version
        if let versionRange {
            let upstream = PackageVersion(version.upstream, ecosystem: version.ecosystem)
            guard Self.range(versionRange, contains: upstream) else { return false }
        }
        for fixed in fixedIn {
            let fix = PackageVersion(fixed, ecosystem: version.ecosystem)
            let sameUpstream =
                PackageVersion.compare(
                    PackageVersion(version.upstream, ecosystem: version.ecosystem),
                    PackageVersion(fix.upstream, ecosystem: version.ecosystem)) == 0
            if sameUpstream, version.epoch == fix.epoch || fix.epoch == 0,
                PackageVersion.compare(version, fix) >= 0, !fix.release.isEmpty
            {
                return false
            }
        }
        return true
    }

    private static func range(_ text: String, contains version: PackageVersion) -> Bool {
        text.components(separatedBy: "||").contains { alternative in
            alternative.split(separator: ",").allSatisfy { piece in
                let bound = piece.trimmingCharacters(in: .whitespaces)
                guard !bound.isEmpty else { return true }
                let relation = String(bound.prefix { "<>=!".contains($0) })
                let other = PackageVersion(
                    bound.dropFirst(relation.count).trimmingCharacters(in: .whitespaces), ecosystem: version.ecosystem)
                let order = PackageVersion.compare(version, other)
                switch relation {
                case "<": return order < 0
                case "<=": return order <= 0
                case ">": return order > 0
                case ">=": return order >= 0
                case "!=": return order != 0
                default: return order == 0
                }
            }
        }
    }
}
