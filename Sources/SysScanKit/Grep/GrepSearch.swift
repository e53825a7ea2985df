import StreamMatch

/// Searches files, folders and archives (entry by entry, streamed) for lines that match any of many
/// patterns, with the same engine and the same upload reader as a scan: the library behind
/// `sysscan grep`, which maintainers use to try patterns and the benchmark uses to time the engine.
///
/// One per search; not thread-safe. The compiled `PatternSet` can be shared.
public final class GrepSearch {
    /// What the search collects.
    public enum Mode: Sendable {
        /// Every matching line, pushed to `onLine`.
        case lines
        /// The number of matching lines per artifact (the first matching pattern of a line is enough).
        case count
        /// Per pattern, the number of lines it matches, its first lines and their named captures.
        case countPerPattern
    }

    /// A matching line, handed to `onLine` while the search runs.
    public struct Line {
        /// The artifact's full name.
        public var artifact: String
        /// The line number, from 1.
        public var number: Int
        /// The line's content, without its line end; valid only during the call.
        public var bytes: UnsafeRawBufferPointer
    }

    /// A line kept as an example of a pattern's matches.
    public struct Example: Sendable, Hashable {
        /// The artifact's full name.
        public var artifact: String
        /// The line number, from 1.
        public var line: Int
        /// The byte offset of the line in its artifact.
        public var offset: Int
        /// The line, decoded (invalid UTF-8 repaired).
        public var text: String
        /// The pattern's named groups in this line.
        public var captures: [String: String]
    }

    /// The results of a search.
    public struct Result: Sendable {
        /// Artifacts searched, with their number of matching lines, in reading order.
        public var artifacts: [(name: String, matchingLines: Int)] = []
        /// Per pattern: lines matched (only in `.countPerPattern` mode).
        public var patternCounts: [Int] = []
        /// Per pattern: the first lines matched (only in `.countPerPattern` mode).
        public var examples: [[Example]] = []
        /// Problems met while reading (damaged entries, binary files, …).
        public var warnings: [ScanWarning] = []
        /// Bytes searched.
        public var bytesRead: Int64 = 0

        /// Matching lines over all artifacts.
        public var matchingLines: Int { artifacts.reduce(0) { $0 + $1.matchingLines } }
    }

    /// The compiled patterns.
    public let patterns: PatternSet
    /// What the search collects.
    public let mode: Mode
    /// How many example lines are kept per pattern.
    public let examplesPerPattern: Int
    /// Called with every matching line in `.lines` mode.
    public var onLine: ((Line) -> Void)?

    /// Creates a search.
    ///
    /// - Parameters:
    ///   - patterns: The compiled patterns.
    ///   - mode: What to collect.
    ///   - examplesPerPattern: How many example lines to keep per pattern.
    public init(patterns: PatternSet, mode: Mode, examplesPerPattern: Int = 5) {
        self.patterns = patterns
        self.mode = mode
        self.examplesPerPattern = examplesPerPattern
    }

    /// Searches every path: a file (plain or an archive of any format), or a folder (every file below it).
    ///
    /// - Parameter paths: The paths.
    /// - Returns: What was found.
    /// - Throws: `ScanError` for the first path that cannot be read at all.
    public func search(_ paths: [String]) throws(ScanError) -> Result {
        let visitor = Visitor(search: self)
        var reader = UploadReader()
        reader.blockSize = 256 * 1024
        reader.plainFilesAreArtifacts = true
        for path in paths { _ = try reader.read(path, visitor: visitor) }
        return visitor.result
    }

    private final class Visitor: UploadVisitor {
        let search: GrepSearch
        var result = Result()

        init(search: GrepSearch) {
            self.search = search
            result.patternCounts = Array(repeating: 0, count: search.patterns.count)
            result.examples = Array(repeating: [], count: search.patterns.count)
        }

        func warn(_ warning: ScanWarning) { result.warnings.append(warning) }

        func skippedWithWarning(_ name: ArtifactName) {}

        func visit(_ name: ArtifactName, stream: EntryStream) {
            let sink = Sink(visitor: self, artifact: name.display)
            var searcher = LineSearcher(
                matcher: search.patterns.makeSession(firstMatchPerLine: search.mode != .countPerPattern))
            while let chunk = stream.next() {
                result.bytesRead += Int64(chunk.count)
                searcher.feed(chunk, to: sink)
            }
            searcher.finish(to: sink)
            sink.warnOverBudget()
            result.artifacts.append((name.display, sink.matchingLines))
        }
    }

    private final class Sink: MatchSink {
        let visitor: Visitor
        let artifact: String
        var matchingLines = 0
        private var lastLine = 0
        private var captureStates: [Int: CompiledRegex.MatchState] = [:]
        /// Per pattern whose regex ran out of budget: the first such line, and how many there were.
        private var overBudget: [Int: (firstLine: Int, lines: Int)] = [:]

        init(visitor: Visitor, artifact: String) {
            self.visitor = visitor
            self.artifact = artifact
        }

        func matched(_ match: LineMatch) -> SinkAction {
            if match.lineNumber != lastLine {
                lastLine = match.lineNumber
                matchingLines += 1
                if visitor.search.mode == .lines {
                    visitor.search.onLine?(Line(artifact: artifact, number: match.lineNumber, bytes: match.line))
                }
            }
            guard visitor.search.mode == .countPerPattern else { return .continue }
            visitor.result.patternCounts[match.pattern] += 1
            if visitor.result.examples[match.pattern].count < visitor.search.examplesPerPattern {
                let regex = visitor.search.patterns.regexes[match.pattern]
                var captures: [String: String] = [:]
                if !regex.groupNames.isEmpty {
                    if captureStates[match.pattern] == nil { captureStates[match.pattern] = regex.makeMatchState() }
                    if let state = captureStates[match.pattern] {
                        captures = regex.namedCaptures(in: match.line, state: state)
                    }
                }
                visitor.result.examples[match.pattern].append(
                    Example(
                        artifact: artifact, line: match.lineNumber, offset: match.byteOffset,
                        text: String(decoding: match.line.prefix(1000), as: UTF8.self), captures: captures))
            }
            return .continue
        }

        func overlongLine(lineNumber: Int, byteOffset: Int) {
            visitor.warn(
                ScanWarning(
                    .overlongLine, artifact: artifact,
                    "\(artifact): line \(lineNumber) is longer than 1 MiB; only its first MiB was searched"))
        }

        func patternOverBudget(_ pattern: Int, lineNumber: Int, byteOffset: Int) {
            if let known = overBudget[pattern] {
                overBudget[pattern] = (known.firstLine, known.lines + 1)
            } else {
                overBudget[pattern] = (lineNumber, 1)
            }
        }

        /// Warns once per pattern that ran out of budget: the first such line and how many there were.
        func warnOverBudget() {
            for (pattern, seen) in overBudget.sorted(by: { $0.key < $1.key }) {
                let source = visitor.search.patterns.regexes[pattern].pattern.source
                let more = seen.lines > 1 ? " and \(seen.lines - 1) more lines" : ""
                visitor.warn(
                    ScanWarning(
                        .patternBudget, artifact: artifact,
                        "\(artifact): pattern '\(source)' could not be decided within its match budget on line \(seen.firstLine)\(more); those lines were not counted"
                    ))
            }
        }
    }
}
