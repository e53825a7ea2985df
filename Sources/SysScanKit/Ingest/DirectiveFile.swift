/// An httpd- or sshd-style configuration: `Name arguments…` lines, `#` comments, and blocks (httpd
/// `<Section …>` … `</Section>`, sshd `Match …` to the next `Match`).
struct DirectiveFile {
    /// One directive as written.
    struct Entry {
        /// The directive's name, lower case.
        var name: String
        /// Its arguments, as one string.
        var value: String
        /// Its line, from 1.
        var line: Int
        /// The block it sits in (`Match User backup`, `<VirtualHost *:443>`), nil at the top level.
        var block: String?
        /// The file it was written in, for a configuration made of several (`ConfigTree`): an index into
        /// the tree's files; 0 for a single file.
        var source = 0
    }

    let entries: [Entry]
    /// Whether the first occurrence of a directive wins (sshd) rather than the last (httpd).
    let firstWins: Bool

    /// A configuration made of entries already read (a file with its includes inserted).
    init(entries: [Entry], firstWins: Bool) {
        self.entries = entries
        self.firstWins = firstWins
    }

    init(text: String, format: ArtifactKind.Format) {
        firstWins = format == .sshd
        var entries: [Entry] = []
        var blocks: [String] = []
        var pending = ""
        var pendingLine = 0
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0))
        }
        for (index, raw) in lines.enumerated() {
            var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if pending.isEmpty { pendingLine = index + 1 }
            if format == .httpd, line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            line = pending + line
            pending = ""
            let trimmed = line.trimmingWhitespace()
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            if format == .httpd, trimmed.hasPrefix("</") {
                if !blocks.isEmpty { blocks.removeLast() }
                continue
            }
            if format == .httpd, trimmed.hasPrefix("<") {
                blocks.append(trimmed)
                continue
            }
            let name = trimmed.prefix { !$0.isWhitespace && $0 != "=" }
            var value = trimmed.dropFirst(name.count).drop { $0.isWhitespace || $0 == "=" }
            if format == .sshd, let comment = value.firstIndex(of: "#") { value = value[..<comment] }
            if format == .sshd, name.lowercased() == "match" {
                blocks = [trimmed]
                continue
            }
            entries.append(
                Entry(
                    name: name.lowercased(), value: String(value).trimmingWhitespace(), line: pendingLine,
                    block: blocks.last))
        }
        self.entries = entries
    }

    /// The effective entry of `name` at the top level, and in each block (for `scope: any`).
    func effective(_ name: String) -> (global: Entry?, blocks: [Entry]) {
        let key = name.lowercased()
        let matching = entries.filter { $0.name == key }
        let global = matching.filter { $0.block == nil }
        var perBlock: [String: Entry] = [:]
        var order: [String] = []
        for entry in matching {
            guard let block = entry.block else { continue }
            if perBlock[block] == nil { order.append(block) }
            if perBlock[block] == nil || !firstWins { perBlock[block] = entry }
        }
        return (firstWins ? global.first : global.last, order.compactMap { perBlock[$0] })
    }
}
