import ArgumentParser
import Foundation
import StreamMatch
import SysScanKit

extension SysScan {
    /// `sysscan grep`: the scan engine as a multi-pattern grep over files, folders and archives.
    struct Grep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search files, folders and archives for lines matching any of many patterns.",
            discussion: """
                Patterns are PCRE2 regular expressions (or fixed strings with -F), one per line of each -f file, \
                matched against each line. PATH may be a file, a folder (every file below it) or an archive \
                (searched entry by entry, nested archives included). Exit status: 0 a line matched, 1 none did, \
                2 usage error, 3 unreadable input or invalid pattern.
                """)

        @Option(
            name: .short,
            help: ArgumentHelp("Read patterns from this file, one per line (repeatable).", valueName: "file"),
            completion: .file())
        var file: [String] = []

        @Option(name: .short, help: ArgumentHelp("A pattern (repeatable).", valueName: "pattern"))
        var expression: [String] = []

        @Flag(name: .customShort("F"), help: "Patterns are fixed strings, not regular expressions.")
        var fixedStrings = false

        @Flag(name: .short, help: "Match regardless of ASCII case.")
        var ignoreCase = false

        @Flag(
            name: .customShort("c"), help: "Print the number of matching lines (per artifact when there are several).")
        var count = false

        @Flag(help: "Print, for each pattern in order, COUNT<TAB>PATTERN: the number of lines it matches.")
        var countPerPattern = false

        @Flag(help: "Print per-pattern counts, first matching lines and named captures as JSON.")
        var json = false

        @Flag(name: .customShort("n"), help: "Prefix matching lines with their line number.")
        var lineNumber = false

        @Argument(help: ArgumentHelp("Files, folders or archives to search.", valueName: "path"), completion: .file())
        var paths: [String]

        func validate() throws {
            if file.isEmpty && expression.isEmpty { throw ValidationError("Give patterns with -f FILE or -e PATTERN.") }
            if [count, countPerPattern, json].filter({ $0 }).count > 1 {
                throw ValidationError("-c, --count-per-pattern and --json exclude each other.")
            }
        }

        func run() throws {
            var sources = expression
            for path in file {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CommandFailure("cannot read the pattern file \(path): \(ReadFailure.reason(path: path))")
                }
                sources += Self.lines(of: data)
            }
            let patterns: PatternSet
            do {
                patterns = try PatternSet(
                    sources.map { Pattern($0, caseInsensitive: ignoreCase, isLiteral: fixedStrings) })
            } catch {
                throw CommandFailure("pattern \(Self.patternNumber(error)): \(error)")
            }
            // The compiled set lives until the process exits: freeing thousands of compiled patterns
            // one by one just before the exit is work nobody needs.
            _ = Unmanaged.passRetained(patterns)
            let mode: GrepSearch.Mode = countPerPattern || json ? .countPerPattern : count ? .count : .lines
            let search = GrepSearch(patterns: patterns, mode: mode)
            let out = BufferedOutput()
            if mode == .lines {
                let prefixNames = paths.count > 1 || paths.contains { Self.isDirectory($0) }
                search.onLine = { line in
                    if prefixNames { out.append(line.artifact + ":") }
                    if lineNumber { out.append("\(line.number):") }
                    out.append(line.bytes)
                    out.append("\n")
                }
            }
            let result: GrepSearch.Result
            do {
                result = try search.search(paths)
            } catch {
                out.flush()
                throw error
            }
            switch mode {
            case .lines: break
            case .count:
                if result.artifacts.count == 1 {
                    out.append("\(result.matchingLines)\n")
                } else {
                    for artifact in result.artifacts { out.append("\(artifact.name):\(artifact.matchingLines)\n") }
                }
            case .countPerPattern:
                if json {
                    out.append(GrepReport.json(result, patterns: sources))
                } else {
                    for (index, source) in sources.enumerated() {
                        out.append("\(result.patternCounts[index])\t\(source)\n")
                    }
                }
            }
            out.flush()
            for warning in result.warnings {
                FileHandleOutput.standardError("sysscan grep: warning: \(warning.message)\n")
            }
            if result.matchingLines == 0 { throw ExitCode(1) }
        }

        /// The lines of a pattern file, without their line ends (LF or CRLF), split as bytes.
        static func lines(of data: Data) -> [String] {
            var lines = Array(data).split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            if lines.last == "" { lines.removeLast() }
            return lines
        }

        static func patternNumber(_ error: Error) -> String {
            if let error = error as? PatternError, case let .invalid(index, _, _, _) = error { return "\(index + 1)" }
            return "?"
        }

        static func isDirectory(_ path: String) -> Bool {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
        }
    }
}
