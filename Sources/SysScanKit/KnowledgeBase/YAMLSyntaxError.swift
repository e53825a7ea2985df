import Yams

/// Where a YAML syntax error really is, and what it says, for a maintainer.
///
/// The YAML parser notices some mistakes only at the next token: a key without its `:` on the following
/// line, a quote or a `[` left open wherever the next quote or key happens to be. For those it also
/// names where the construct began (the context), which is the line to fix; that place is reported,
/// with the line where the parser noticed the problem. A block mapping or list, by contrast, begins far
/// above its mistake, so for those the place noticed is kept.
///
/// A double-quoted scalar with an unknown escape (`"java\.lang"`) gets a hint: in double quotes YAML
/// reads `\` as an escape, so a regex belongs in single quotes. A quoted scalar that runs on to later
/// lines gets the question whether its quote was left open.
struct YAMLSyntaxError {
    /// The line to report, from 1.
    let line: Int
    /// The column to report, from 1.
    let column: Int
    /// The parser's context and problem, with where the problem was noticed and a hint when one applies.
    let message: String

    /// Contexts that begin on the line of the mistake: a scalar, a key or a flow collection.
    private static let localContexts = [
        "quoted scalar", "simple key", "flow sequence", "flow mapping", "flow collection", "plain scalar",
    ]

    init(context: YamlError.Context?, problem: String, mark: Mark, text: String) {
        var message = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
        var line = mark.line
        var column = mark.column
        if let context, context.mark.line < mark.line,
            Self.localContexts.contains(where: { context.text.contains($0) })
        {
            line = context.mark.line
            column = context.mark.column
            message += " (noticed at line \(mark.line))"
            if context.text.contains("quoted scalar") { message += "; the quote opened here runs on: is it closed?" }
        } else if let open = Self.openQuote(before: mark.line, in: text) {
            line = open.line
            column = open.column
            message += " (noticed at line \(mark.line)); the quote opened here runs on: is it closed?"
        } else if problem.contains("unknown escape"), Self.isDoubleQuoted(at: context?.mark ?? mark, in: text) {
            message +=
                "; in double quotes YAML reads \\ as an escape: write a regex in single quotes ('…'), where \\ stays"
                + " as it is and a ' is written ''"
        }
        self.line = line
        self.column = column
        self.message = message
    }

    /// The place of the first quote before line `limit` that opens a value and is not closed on its line
    /// (outside block scalars).
    private static func openQuote(before limit: Int, in text: String) -> (line: Int, column: Int)? {
        var blockIndent: Int?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index + 1 < limit {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let indent = line.prefix { $0 == " " }.count
            if let block = blockIndent {
                if line.allSatisfy({ $0 == " " }) || indent > block { continue }
                blockIndent = nil
            }
            var rest = line.dropFirst(indent)
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
            guard
                let colon = rest.firstRange(of: ": ")
                    ?? (rest.hasSuffix(":") ? rest.suffix(1).startIndex..<rest.endIndex : nil)
            else { continue }
            let value = rest[colon.upperBound...].drop { $0 == " " }
            if value.hasPrefix("|") || value.hasPrefix(">") {
                blockIndent = indent
            } else if let quote = value.first, quote == "\"" || quote == "'", !closes(value.dropFirst(), quote) {
                return (index + 1, line[..<value.startIndex].unicodeScalars.count + 1)
            }
        }
        return nil
    }

    /// Whether `text`, the rest of a quoted scalar after its opening quote, closes it.
    private static func closes(_ text: Substring, _ quote: Character) -> Bool {
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if quote == "\"", escaped {
                escaped = false
            } else if quote == "\"", character == "\\" {
                escaped = true
            } else if character == quote {
                let next = text.index(after: index)
                guard quote == "'", next < text.endIndex, text[next] == "'" else { return true }
                index = next  // '' is a quote inside a single-quoted scalar
            }
            index = text.index(after: index)
        }
        return false
    }

    /// Whether the character at `mark` (or the first quote after it on its line) opens a double-quoted
    /// scalar.
    private static func isDoubleQuoted(at mark: Mark, in text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return false }
        let rest = lines[mark.line - 1].unicodeScalars.dropFirst(max(mark.column - 1, 0))
        return rest.first { $0 == "\"" || $0 == "'" } == "\""
    }
}
