/// A package version as a package manager orders it: `epoch:version-release` (rpm), `epoch:upstream-revision`
/// (dpkg), `version-rN` (apk).
///
/// Two versions of one ecosystem compare as that package manager compares them.
public struct PackageVersion: Sendable, Hashable, CustomStringConvertible {
    /// Which package manager's order applies.
    public enum Ecosystem: String, Sendable, CaseIterable {
        /// RPM (`rpmvercmp`, epoch then version then release).
        case rpm
        /// Debian (`dpkg --compare-versions`: epoch, upstream, revision, `~` before anything).
        case dpkg
        /// Alpine's apk (compared here with dpkg's rules on `version` and the `-rN` release).
        case apk
    }

    /// The ecosystem.
    public let ecosystem: Ecosystem
    /// The epoch (0 when not written).
    public let epoch: Int
    /// The upstream version (`8.7p1`).
    public let upstream: String
    /// The distribution's release or revision (`38.el9_4.1`, `2+deb12u3`); empty when not written.
    public let release: String

    /// Parses `text` as a version of `ecosystem`.
    public init(_ text: String, ecosystem: Ecosystem) {
        self.ecosystem = ecosystem
        var rest = Substring(text)
        var epoch = 0
        if let colon = rest.firstIndex(of: ":"), let number = Int(rest[..<colon]) {
            epoch = number
            rest = rest[rest.index(after: colon)...]
        }
        self.epoch = epoch
        if let dash = rest.lastIndex(of: "-") {
            upstream = String(rest[..<dash])
            var release = String(rest[rest.index(after: dash)...])
            if ecosystem == .apk, release.hasPrefix("r") { release.removeFirst() }
            self.release = release
        } else {
            upstream = String(rest)
            release = ""
        }
    }

    /// The version as written, epoch included when not 0.
    public var description: String {
        (epoch != 0 ? "\(epoch):" : "") + upstream + (release.isEmpty ? "" : "-\(release)")
    }

    /// Compares two versions: negative when `a` is older, 0 when equal, positive when newer.
    ///
    /// Releases are
    /// compared only when both have one (an upstream bound such as `9.8p1` applies to every release).
    public static func compare(_ a: PackageVersion, _ b: PackageVersion) -> Int {
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        func segment(_ x: String, _ y: String) -> Int {
            a.ecosystem == .rpm ? rpmCompare(x, y) : dpkgCompare(x, y)
        }
        let upstream = segment(a.upstream, b.upstream)
        if upstream != 0 || a.release.isEmpty || b.release.isEmpty { return upstream }
        return segment(a.release, b.release)
    }

    /// `rpmvercmp` of rpm 4.x: alternating runs of digits and letters, numbers as numbers and newer than
    /// letters, `~` older than anything (even the end), `^` newer than the end but older than anything else.
    static func rpmCompare(_ left: String, _ right: String) -> Int {
        if left == right { return 0 }
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        var i = 0
        var j = 0
        func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
        while i < a.count || j < b.count {
            while i < a.count, !isAlnum(a[i]), a[i] != 0x7E, a[i] != 0x5E { i += 1 }
            while j < b.count, !isAlnum(b[j]), b[j] != 0x7E, b[j] != 0x5E { j += 1 }
            let ca: UInt8? = i < a.count ? a[i] : nil
            let cb: UInt8? = j < b.count ? b[j] : nil
            if ca == 0x7E || cb == 0x7E {  // ~
                if ca != 0x7E { return 1 }
                if cb != 0x7E { return -1 }
                i += 1
                j += 1
                continue
            }
            if ca == 0x5E || cb == 0x5E {  // ^
                if ca == nil { return -1 }
                if cb == nil { return 1 }
                if ca != 0x5E { return 1 }
                if cb != 0x5E { return -1 }
                i += 1
                j += 1
                continue
            }
            guard let first = ca, cb != nil else { break }
            let numeric = isDigit(first)
            var endA = i
            var endB = j
            func member(_ c: UInt8) -> Bool { numeric ? isDigit(c) : isAlpha(c) }
            while endA < a.count, member(a[endA]) { endA += 1 }
            while endB < b.count, member(b[endB]) { endB += 1 }
            if endB == j { return numeric ? 1 : -1 }
            var sa = a[i..<endA]
            var sb = b[j..<endB]
            if numeric {
                while sa.first == 0x30 { sa = sa.dropFirst() }
                while sb.first == 0x30 { sb = sb.dropFirst() }
                if sa.count != sb.count { return sa.count > sb.count ? 1 : -1 }
            }
            if !sa.elementsEqual(sb) { return sa.lexicographicallyPrecedes(sb) ? -1 : 1 }
            i = endA
            j = endB
        }
        if i >= a.count, j >= b.count { return 0 }
        return i >= a.count ? -1 : 1
    }

    /// `verrevcmp` of dpkg: non-digit runs compared character by character (letters before other
    /// characters, `~` before the end), digit runs as numbers.
    static func dpkgCompare(_ left: String, _ right: String) -> Int {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        func order(_ c: UInt8?) -> Int {
            guard let c else { return 0 }
            if isDigit(c) { return 0 }
            if isAlpha(c) { return Int(c) }
            if c == 0x7E { return -1 }
            return Int(c) + 256
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            var firstDifference = 0
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let ac = order(i < a.count ? a[i] : nil)
                let bc = order(j < b.count ? b[j] : nil)
                if ac != bc { return ac < bc ? -1 : 1 }
                i += 1
                j += 1
            }
            while i < a.count, a[i] == 0x30 { i += 1 }
            while j < b.count, b[j] == 0x30 { j += 1 }
            while i < a.count, j < b.count, isDigit(a[i]), isDigit(b[j]) {
                if firstDifference == 0 { firstDifference = Int(a[i]) - Int(b[j]) }
                i += 1
                j += 1
            }
            if i < a.count, isDigit(a[i]) { return 1 }
            if j < b.count, isDigit(b[j]) { return -1 }
            if firstDifference != 0 { return firstDifference < 0 ? -1 : 1 }
        }
        return 0
    }
}

private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
private func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
