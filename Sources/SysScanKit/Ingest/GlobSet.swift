/// Many globs compiled into one matcher, as ripgrep's globset does: a path is split and normalised once,
/// then literal file names and literal name endings (`*.log`, `*-gc.log`) are looked up in hash tables,
/// path globs ending in a literal name (`**/conf/server.xml`) are tried only for that name, and only
/// the remaining globs are matched one by one (a name-only one after a check of its literal prefix).
public struct GlobSet: Sendable {
    private let globs: [Glob]
    /// Name-only globs without wildcards, by the name.
    private let literalNames: [Key: [Int]]
    /// Name-only globs `*ENDING` with a literal ending, by the ending; and the endings' lengths.
    private let nameEndings: [Key: [Int]]
    private let endingLengths: [Int]
    /// Path globs whose last segment is a literal name, by that name.
    private let pathsByName: [Key: [Int]]

    /// Bytes as a hash-table key, made from a slice of a path without copying it.
    private struct Key: Hashable {
        let bytes: ArraySlice<UInt8>
        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }
        init(_ bytes: [UInt8]) { self.bytes = bytes[...] }
        static func == (a: Key, b: Key) -> Bool { a.bytes.elementsEqual(b.bytes) }
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
    /// Every other glob, in order.
    private let others: [Int]

    /// Compiles `patterns`; their indices are the ones `firstMatch` returns.
    public init(_ patterns: [String]) {
        globs = patterns.map(Glob.init)
        var literalNames: [Key: [Int]] = [:]
        var nameEndings: [Key: [Int]] = [:]
        var pathsByName: [Key: [Int]] = [:]
        var others: [Int] = []
        for (index, glob) in globs.enumerated() {
            guard let last = glob.segments.last else {
                others.append(index)
                continue
            }
            let wildcards = last.filter(Glob.isWildcard)
            if glob.matchesNameOnly, wildcards.isEmpty {
                literalNames[Key(last), default: []].append(index)
            } else if glob.matchesNameOnly, last.first == UInt8(ascii: "*"), wildcards.count == 1, last.count > 1 {
                nameEndings[Key(last.dropFirst()), default: []].append(index)
            } else if !glob.matchesNameOnly, wildcards.isEmpty {
                pathsByName[Key(last), default: []].append(index)
            } else {
                others.append(index)
            }
        }
        self.literalNames = literalNames
        self.nameEndings = nameEndings
        endingLengths = Set(nameEndings.keys.map(\.bytes.count)).sorted()
        self.pathsByName = pathsByName
        self.others = others
    }

    /// The smallest index of a glob that matches the path given as its segments, or nil.
    func firstMatch(parts: [ArraySlice<UInt8>]) -> Int? {
        guard let name = parts.last else { return nil }
        var best = Int.max
        if let indices = literalNames[Key(name)] {
            for index in indices where index < best { best = index }
        }
        for length in endingLengths where length <= name.count {
            for index in nameEndings[Key(name.suffix(length))] ?? [] where index < best { best = index }
        }
        for index in pathsByName[Key(name)] ?? [] where index < best && globs[index].matches(parts: parts) {
            best = index
        }
        for index in others {
            guard index < best else { break }
            if globs[index].matches(parts: parts) { best = index }
        }
        return best == Int.max ? nil : best
    }

    /// The smallest index of a glob that matches `path`, or nil.
    ///
    /// - Parameter path: A path inside an upload; it is normalised as `ArtifactLocator` does.
    public func firstMatch(_ path: String) -> Int? {
        firstMatch(parts: Self.parts(of: path))
    }

    /// A path's segments as globs see them: split at `/`, a nested archive's `!/` a folder boundary, `.`
    /// segments and a leading `/` dropped.
    static func parts(of path: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(path.utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        func close(_ end: Int) {
            var stop = end
            if stop > start, stop < bytes.count, bytes[stop - 1] == UInt8(ascii: "!") { stop -= 1 }  // `a.zip!/b`
            let part = bytes[start..<stop]
            if !part.isEmpty, !(part.count == 1 && part.first == UInt8(ascii: ".")) { parts.append(part) }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/") {
                close(index)
                start = index + 1
            }
            index += 1
        }
        close(bytes.count)
        return parts
    }
}
