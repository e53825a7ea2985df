import Foundation

/// httpd and sshd configurations as their daemons read them: a main file (`httpd.conf`, `apache2.conf`,
/// `sshd_config`) with the files its `Include` (and httpd's `IncludeOptional`) directives name inserted
/// where they are named, matched against the upload's files.
///
/// sshd takes the first value of a directive,
/// so a drop-in included at the top of `sshd_config` overrides what follows; httpd takes the last.
///
/// An include is matched by the end of its path: `/etc/httpd/conf.d/*.conf` (or `conf.d/*.conf`, relative
/// to `ServerRoot`) names the upload's `…/conf.d/*.conf` files whose folders end as the path does; an
/// include that names no file of the upload (and is no wildcard nor `IncludeOptional`) is reported, never
/// guessed.
struct ConfigTree {
    /// One configuration file of the upload.
    struct File {
        let name: ArtifactName
        let text: String
        let format: ArtifactKind.Format
    }

    /// A main file with its includes: the entries in reading order, each with its `source` (a file index).
    struct Resolved {
        /// The main file (an index into the files).
        let root: Int
        let configuration: DirectiveFile
    }

    /// An include that names no file of the upload.
    struct MissingInclude {
        let file: Int
        let line: Int
        let path: String
    }

    let files: [File]
    /// The main files with their includes, then the files no main file includes, each on its own.
    private(set) var resolved: [Resolved] = []
    /// Files that no main file includes (and that are no main file), read on their own.
    private(set) var alone: [Int] = []
    private(set) var missing: [MissingInclude] = []

    /// How deep includes are followed.
    static let maxDepth = 8

    init(files: [File]) {
        self.files = files
        let parsed = files.map { DirectiveFile(text: $0.text, format: $0.format) }
        var included = Set<Int>()
        for (index, file) in files.enumerated() where Self.isMain(file) {
            var entries: [DirectiveFile.Entry] = []
            var stack: [Int] = []
            expand(index, parsed: parsed, depth: 0, block: nil, stack: &stack, into: &entries, included: &included)
            resolved.append(
                Resolved(root: index, configuration: DirectiveFile(entries: entries, firstWins: file.format == .sshd)))
        }
        alone = files.indices.filter { !Self.isMain(files[$0]) && !included.contains($0) }
        for index in alone {
            let entries = parsed[index].entries.map { entry in
                var entry = entry
                entry.source = index
                return entry
            }
            resolved.append(
                Resolved(
                    root: index, configuration: DirectiveFile(entries: entries, firstWins: parsed[index].firstWins)))
        }
    }

    /// Whether `file` is a daemon's main configuration.
    static func isMain(_ file: File) -> Bool {
        let base = (file.name.entry as NSString).lastPathComponent
        switch file.format {
        case .httpd: return base == "httpd.conf" || base == "apache2.conf"
        case .sshd: return base == "sshd_config"
        default: return false
        }
    }

    private mutating func expand(
        _ index: Int, parsed: [DirectiveFile], depth: Int, block: String?, stack: inout [Int],
        into entries: inout [DirectiveFile.Entry], included: inout Set<Int>
    ) {
        stack.append(index)
        defer { stack.removeLast() }
        let format = files[index].format
        let serverRoot = format == .httpd ? parsed[index].effective("ServerRoot").global?.value : nil
        for entry in parsed[index].entries {
            guard entry.name == "include" || entry.name == "includeoptional", depth < Self.maxDepth else {
                var entry = entry
                entry.source = index
                if entry.block == nil { entry.block = block }
                entries.append(entry)
                continue
            }
            for path in Self.arguments(entry.value) {
                let matches = match(path, format: format, serverRoot: serverRoot)
                if matches.isEmpty, entry.name == "include", !Self.isWildcard(path) {
                    missing.append(MissingInclude(file: index, line: entry.line, path: path))
                }
                for next in matches where !stack.contains(next) {
                    included.insert(next)
                    expand(
                        next, parsed: parsed, depth: depth + 1, block: entry.block ?? block, stack: &stack,
                        into: &entries, included: &included)
                }
            }
        }
    }

    /// The upload's files (of the same format) an include path names, sorted by path as glob(3) sorts.
    private func match(_ path: String, format: ArtifactKind.Format, serverRoot: String?) -> [Int] {
        var full = path
        if !full.hasPrefix("/") {
            let base = format == .sshd ? "/etc/ssh" : (serverRoot.map(Self.unquoted) ?? "")
            full = base.isEmpty ? full : base + "/" + full
        }
        let pattern = full.split(separator: "/").map(String.init).filter { !$0.isEmpty && $0 != "." }
        guard !pattern.isEmpty else { return [] }
        // The longest end of the path that names files of the upload, down to the file and its folder.
        for drop in 0...max(0, pattern.count - min(2, pattern.count)) {
            let tail = Array(pattern.dropFirst(drop))
            let found = files.indices.filter { index in
                guard files[index].format == format else { return false }
                let parts = files[index].name.entry.split(separator: "/").map(String.init)
                guard parts.count >= tail.count else { return false }
                return zip(parts.suffix(tail.count), tail).allSatisfy { part, glob in fnmatch(glob, part, 0) == 0 }
            }
            if !found.isEmpty { return found.sorted { files[$0].name.entry < files[$1].name.entry } }
        }
        return []
    }

    /// The paths of an include's argument text (quoted or not).
    static func arguments(_ value: String) -> [String] {
        var arguments: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" {
                quoted.toggle()
            } else if character.isWhitespace, !quoted {
                if !current.isEmpty { arguments.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { arguments.append(current) }
        return arguments
    }

    private static func isWildcard(_ path: String) -> Bool {
        path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func unquoted(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}
