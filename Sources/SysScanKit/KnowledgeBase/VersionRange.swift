import Foundation

/// A version as found in file names and banners (`2.14.1`, `2.0-beta9`, `9.0.30`, `8.5p1`), compared
/// part by part: numbers as numbers; `alpha` < `beta` < `milestone`/`m` < `rc` < release < patch
/// levels (`p1`, `sp2`, anything else after the numbers).
public struct Version: Sendable, Comparable, CustomStringConvertible {
    enum Part: Comparable {
        /// A pre-release marker, with its rank (alpha 0, beta 1, milestone 2, rc 3).
        case preRelease(Int)
        /// A number.
        case number(Int)
        /// Anything after the release (a patch level).
        case patch(String)

        static func < (lhs: Part, rhs: Part) -> Bool {
            switch (lhs, rhs) {
            case let (.number(a), .number(b)): a < b
            case let (.preRelease(a), .preRelease(b)): a < b
            case let (.patch(a), .patch(b)): a < b
            case (.preRelease, _): true
            case (.number, .patch): true
            case (.number, .preRelease): false
            case (.patch, _): false
            }
        }
    }

    /// The version as written.
    public let text: String
    let parts: [Part]

    /// Parses a version; nil when it holds no number.
    ///
    /// - Parameter text: The version as written.
    public init?(_ text: String) {
        var parts: [Part] = []
        var current = ""
        var currentIsDigit = false
        func flush() {
            guard !current.isEmpty else { return }
            if currentIsDigit {
                parts.append(.number(Int(current.prefix(18)) ?? 0))
            } else {
                let word = current.lowercased()
                switch word {
                case "alpha", "a": parts.append(.preRelease(0))
                case "beta", "b": parts.append(.preRelease(1))
                case "m", "milestone": parts.append(.preRelease(2))
                case "rc", "cr": parts.append(.preRelease(3))
                case "final", "ga", "release": break
                default: parts.append(.patch(word))
                }
            }
            current = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                if !currentIsDigit { flush() }
                currentIsDigit = true
                current.append(character)
            } else if character.isLetter {
                if currentIsDigit { flush() }
                currentIsDigit = false
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        guard parts.contains(where: { if case .number = $0 { true } else { false } }) else { return nil }
        self.text = text
        self.parts = parts
    }

    /// The version as written.
    public var description: String { text }

    /// Compares part by part; a missing part counts as `0` against a number, as the release against
    /// a pre-release marker, and as less than a patch level.
    public static func < (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) < 0 }

    /// Equal when every part compares equal (`2.0` == `2.0.0`).
    public static func == (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) == 0 }

    static func compare(_ lhs: Version, _ rhs: Version) -> Int {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let a = index < lhs.parts.count ? lhs.parts[index] : filler(for: rhs.parts[index])
            let b = index < rhs.parts.count ? rhs.parts[index] : filler(for: lhs.parts[index])
            if a < b { return -1 }
            if b < a { return 1 }
        }
        return 0
    }

    /// What a missing part counts as, against `other`.
    private static func filler(for other: Part) -> Part {
        switch other {
        case .number: .number(0)
        case .preRelease: .number(0)  // the release sorts after any pre-release marker
        case .patch: .preRelease(Int.max)  // the release sorts before a patch level
        }
    }
}

/// A set of versions: `>= 2.0-beta9, < 2.17.1 || >= 3.0` (`,` is and, `||` is or).
public struct VersionRange: Sendable, CustomStringConvertible {
    struct Bound: Sendable {
        enum Relation: String, Sendable {
            case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "=", ne = "!="
        }

        let relation: Relation
        let version: Version

        func contains(_ candidate: Version) -> Bool {
            let order = Version.compare(candidate, version)
            switch relation {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            case .ge: return order >= 0
            case .eq: return order == 0
            case .ne: return order != 0
            }
        }
    }

    /// The range as written.
    public let text: String
    let alternatives: [[Bound]]

    /// Parses a range; nil (with the reason in `problem`) when it is malformed.
    ///
    /// - Parameter text: The range as written.
    public init?(_ text: String) {
        guard case let .success(alternatives) = Self.parse(text) else { return nil }
        self.text = text
        self.alternatives = alternatives
    }

    /// Why `text` is not a range, or nil when it is one.
    public static func problem(in text: String) -> String? {
        if case let .failure(problem) = parse(text) { return problem.message }
        return nil
    }

    /// Whether `version` is in the range.
    public func contains(_ version: Version) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.contains(version) } }
    }

    /// The range as written.
    public var description: String { text }

    struct Problem: Error {
        let message: String
    }

    private static func parse(_ text: String) -> Result<[[Bound]], Problem> {
        var alternatives: [[Bound]] = []
        for alternative in text.components(separatedBy: "||") {
            var bounds: [Bound] = []
            for piece in alternative.split(separator: ",") {
                let trimmed = piece.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                let relations: [Bound.Relation] = [.le, .ge, .ne, .lt, .gt, .eq]
                let relation = relations.first { trimmed.hasPrefix($0.rawValue) } ?? .eq
                let rest =
                    trimmed.hasPrefix(relation.rawValue) ? String(trimmed.dropFirst(relation.rawValue.count)) : trimmed
                guard let version = Version(rest.trimmingCharacters(in: .whitespaces)) else {
                    return .failure(Problem(message: "'\(trimmed)' is not a bound such as '< 2.17.1'"))
                }
                bounds.append(Bound(relation: relation, version: version))
            }
            guard !bounds.isEmpty else { return .failure(Problem(message: "an alternative of '\(text)' is empty")) }
            alternatives.append(bounds)
        }
        return .success(alternatives)
    }
}
