/// A path glob: `*` and `?` within a path segment, `[abc]`/`[a-z]`/`[!a]` classes, and `**` for any
/// number of folders (none included).
///
/// A glob without `/` matches the file name alone; a glob with `/` matches the whole path.
public struct Glob: Sendable, Hashable {
    /// The glob as written.
    public let pattern: String
    /// The segments between `/`, as bytes.
    let segments: [[UInt8]]
    /// Whether the glob has no `/` and so matches the file name alone.
    let matchesNameOnly: Bool
    /// For a name-only glob: the bytes before its first wildcard, which a name must start with.
    let namePrefix: [UInt8]
    /// Which segments are `**`.
    private let anyFolders: [Bool]

    /// Creates a glob.
    ///
    /// - Parameter pattern: The glob as written.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.matchesNameOnly = !pattern.contains("/")
        self.segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        let first = segments.first ?? []
        self.namePrefix = matchesNameOnly ? Array(first.prefix { !Self.isWildcard($0) }) : []
        self.anyFolders = segments.map { $0 == Array("**".utf8) }
    }

    static func isWildcard(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[")
    }

    /// Returns whether `path` (folders separated by `/`) matches.
    ///
    /// - Parameter path: A relative path.
    /// - Returns: True when the glob matches.
    public func matches(_ path: String) -> Bool {
        matches(parts: Array(path.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true))
    }

    /// Returns whether a path given as its segments (bytes, without `/`) matches.
    func matches(parts: [ArraySlice<UInt8>]) -> Bool {
        if matchesNameOnly {
            guard let name = parts.last, let only = segments.first, name.starts(with: namePrefix) else { return false }
            return name.withUnsafeBufferPointer { Self.matchSegment(only, $0) }
        }
        return match(0, 0, parts)
    }

    /// Whether segments `g…` match parts `p…` (indices, no slices: nothing is copied or retained per step).
    private func match(_ g: Int, _ p: Int, _ parts: [ArraySlice<UInt8>]) -> Bool {
        guard g < segments.count else { return p == parts.count }
        if anyFolders[g] {
            for next in p...parts.count where match(g + 1, next, parts) { return true }
            return false
        }
        guard p < parts.count, parts[p].withUnsafeBufferPointer({ Self.matchSegment(segments[g], $0) }) else {
            return false
        }
        return match(g + 1, p + 1, parts)
    }

    /// Matches one segment; `*` and `?` never cross `/` since segments hold none.
    static func matchSegment(_ glob: [UInt8], _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var g = 0, n = 0
        var starG = -1, starN = 0
        while n < name.count {
            if g < glob.count {
                switch glob[g] {
                case UInt8(ascii: "*"):
                    starG = g
                    starN = n
                    g += 1
                    continue
                case UInt8(ascii: "?"):
                    g += 1
                    n += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = matchClass(glob, from: g, byte: name[n]) {
                        if matched {
                            g = next
                            n += 1
                            continue
                        }
                    } else if name[n] == UInt8(ascii: "[") {
                        g += 1
                        n += 1
                        continue
                    }
                default:
                    if glob[g] == name[n] {
                        g += 1
                        n += 1
                        continue
                    }
                }
            }
            guard starG >= 0 else { return false }
            starN += 1
            n = starN
            g = starG + 1
        }
        while g < glob.count, glob[g] == UInt8(ascii: "*") { g += 1 }
        return g == glob.count
    }

    /// Matches `byte` against the class starting at `glob[start]` (`[`); nil when the class is not closed.
    private static func matchClass(_ glob: [UInt8], from start: Int, byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < glob.count, glob[i] == UInt8(ascii: "!") || glob[i] == UInt8(ascii: "^") {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < glob.count {
            let c = glob[i]
            if c == UInt8(ascii: "]"), !first { return (matched != negated, i + 1) }
            first = false
            if i + 2 < glob.count, glob[i + 1] == UInt8(ascii: "-"), glob[i + 2] != UInt8(ascii: "]") {
                if byte >= c && byte <= glob[i + 2] { matched = true }
                i += 3
            } else {
                if byte == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}
