/// A Java `.properties` file: keys and their effective values (the last assignment wins), with the line
/// each key was set on.
///
/// Follows `java.util.Properties.load`: `=`, `:` or white space separate key and value; `#` and `!`
/// start comments; a line ending in an odd number of backslashes continues on the next; `\uXXXX`,
/// `\t`, `\n` and escaped separators are decoded. Invalid UTF-8 is repaired, never fatal.
public struct PropertiesFile: Sendable {
    /// A key's value and the line (from 1) where the assignment starts.
    public struct Entry: Sendable, Hashable {
        /// The decoded value.
        public var value: String
        /// The line of the assignment, from 1.
        public var line: Int
    }

    /// The keys and their effective entries.
    public private(set) var entries: [String: Entry] = [:]

    /// Parses the text of a properties file.
    ///
    /// - Parameter text: The file's content.
    public init(text: String) {
        var logical = ""
        var startLine = 0
        var continuing = false
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so line ends are split on Unicode scalars.
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var scalars = rawLine
            if scalars.last == "\r" { scalars = scalars.dropLast() }
            let line = Substring(String(String.UnicodeScalarView(scalars)))
            let stripped = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
            if !continuing {
                if stripped.isEmpty || stripped.first == "#" || stripped.first == "!" { continue }
                startLine = lineNumber
                logical = ""
            }
            var content = stripped
            let trailingBackslashes = content.reversed().prefix { $0 == "\\" }.count
            continuing = trailingBackslashes % 2 == 1
            if continuing { content = content.dropLast() }
            logical += content
            if !continuing { add(logical, line: startLine) }
        }
        if continuing { add(logical, line: startLine) }
    }

    /// Returns the entry of `key`, or nil when the file does not set it.
    ///
    /// - Parameter key: The key.
    /// - Returns: Its effective value and line.
    public subscript(key: String) -> Entry? { entries[key] }

    /// The keys and values, for places that need a plain dictionary.
    public var values: [String: String] { entries.mapValues(\.value) }

    private mutating func add(_ logical: String, line: Int) {
        var key = ""
        var separatorSeen = false
        var rest = Substring("")
        var index = logical.startIndex
        while index < logical.endIndex {
            let c = logical[index]
            if c == "\\" {
                let next = logical.index(after: index)
                if next < logical.endIndex {
                    key.append(contentsOf: Self.unescape(logical, at: &index))
                    continue
                }
                index = next
                continue
            }
            if c == "=" || c == ":" || c == " " || c == "\t" || c == "\u{0C}" {
                var valueStart = index
                if c == " " || c == "\t" || c == "\u{0C}" {
                    valueStart =
                        logical[index...].firstIndex { $0 != " " && $0 != "\t" && $0 != "\u{0C}" } ?? logical.endIndex
                    if valueStart < logical.endIndex, logical[valueStart] == "=" || logical[valueStart] == ":" {
                        valueStart = logical.index(after: valueStart)
                    }
                } else {
                    valueStart = logical.index(after: index)
                }
                rest = logical[valueStart...].drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
                separatorSeen = true
                break
            }
            key.append(c)
            index = logical.index(after: index)
        }
        var value = ""
        if separatorSeen {
            let text = String(rest)
            var i = text.startIndex
            while i < text.endIndex {
                if text[i] == "\\" {
                    value.append(contentsOf: Self.unescape(text, at: &i))
                } else {
                    value.append(text[i])
                    i = text.index(after: i)
                }
            }
        }
        entries[key] = Entry(value: value, line: line)
    }

    /// Decodes the escape starting at `text[index]` (a backslash) and moves `index` past it.
    private static func unescape(_ text: String, at index: inout String.Index) -> String {
        let next = text.index(after: index)
        guard next < text.endIndex else {
            index = next
            return ""
        }
        let c = text[next]
        index = text.index(after: next)
        switch c {
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "u":
            let hexEnd = text.index(index, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex
            let hex = text[index..<hexEnd]
            if hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                index = hexEnd
                return String(Character(scalar))
            }
            return "u"
        default: return String(c)
        }
    }
}
