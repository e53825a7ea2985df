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

    /// Creates a glob.
    ///
    /// - Parameter pattern: The glob as written.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.matchesNameOnly = !pattern.contains("/")
        self.segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        let first = segments.first ?? []
        self.namePrefix = matchesNameOnly ? Array(first.prefix { !Self.isWildcard($0) }) : []
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
            return Self.matchSegment(only[...], name)
        }
        return Self.match(segments[...], parts[...])
    }

    private static func match(_ globs: ArraySlice<[UInt8]>, _ parts: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        guard let first = globs.first else { return parts.isEmpty }
        if first == Array("**".utf8) {
            let rest = globs.dropFirst()
            var remaining = parts
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let part = parts.first, matchSegment(first[...], part) else { return false }
        return match(globs.dropFirst(), parts.dropFirst())
    }

    /// Matches one segment; `*` and `?` never cross `/` since segments hold none.
    static func matchSegment(_ glob: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        let glob = glob.withContiguousStorageIfAvailable { Array($0) } ?? Array(glob)
        return name.withContiguousStorageIfAvailable { matchSegment(glob, $0) } ?? Array(name).withUnsafeBufferPointer { matchSegment(glob, $0) }
    }

    static func matchSegment(_ glob: [UInt8], _ name: [UInt8]) -> Bool {
        name.withUnsafeBufferPointer { matchSegment(glob, $0) }
    }

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
