import Dispatch
import StreamMatch

/// Matches one artifact of a known kind against its kind's rules: its lines through the kind's pattern
/// set, its parsed content through the configuration leaves.
///
/// Touches nothing shared but the immutable
/// knowledge base, so artifacts can be matched on several threads at once.
final class ArtifactScan {
    let knowledgeBase: CompiledKnowledgeBase
    let options: ScanOptions
    let timestamps: TimestampParser
    let name: ArtifactName
    let kind: ArtifactKind
    let plan: CompiledKnowledgeBase.KindPlan
    /// Per leaf: whether the artifacts before this one already gave it all the evidence the scan keeps.
    let evidenceFull: [Bool]
    /// What the artifact gave.
    let matches: ArtifactMatches

    init(
        name: ArtifactName, kind: ArtifactKind, plan: CompiledKnowledgeBase.KindPlan,
        knowledgeBase: CompiledKnowledgeBase, options: ScanOptions, timestamps: TimestampParser,
        evidenceFull: [Bool]
    ) {
        self.evidenceFull = evidenceFull
        matches = ArtifactMatches(name: name, kind: kind.name)
        self.name = name
        self.kind = kind
        self.plan = plan
        self.knowledgeBase = knowledgeBase
        self.options = options
        self.timestamps = timestamps
    }

    func warn(_ warning: ScanWarning) { matches.warnings.append(warning) }

    /// Whether a file of this kind is refused when its first bytes look binary.
    ///
    /// Only a parsed
    /// configuration (properties, httpd and sshd directives, a package list) is: a log or text kind is
    /// searched as bytes whatever they hold (a NUL run that `copytruncate` left behind, a stray control
    /// byte), and an XML config is judged by libxml2, which reads UTF-16 too.
    var sniffsBinary: Bool {
        switch kind.format {
        case .properties, .httpd, .sshd, .packages: true
        case .xml, .log, .text, .certificate: false
        }
    }

    /// Reads `stream` to its end and matches it.
    func run(_ stream: EntryStream) -> ArtifactMatches {
        if sniffsBinary, ContentSniffer.looksBinary(stream.peek(8192)) {
            warn(
                ScanWarning(
                    .binaryContent, artifact: name.display,
                    "\(name.display): binary content where \(kind.name) text was expected; skipped"))
            matches.skipped = true
            return matches
        }
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            if options.profile {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                matches.cost = .init(name: name.display, kind: kind.name, bytes: matches.bytes, seconds: seconds)
            }
        }
        let sink = LogRuleSink(scan: self)
        var searcher = plan.patternSet.map { set -> LineSearcher<PatternSet.Session> in
            var session = set.makeSession()
            session.profiling = options.profile
            // More lines before a match than its context shows: the first line of its log record dates it.
            return LineSearcher(
                matcher: session, maxLineLength: options.maxLineLength,
                linesBefore: max(options.contextLines, LogRuleSink.recordLookback), linesAfter: options.contextLines)
        }
        var content: [UInt8]? = plan.needsContent ? [] : nil
        var tooLarge = false
        // A log's last bytes, for the time of its newest line.
        var tail: [UInt8] = []
        let keepsTail = kind.format == .log
        while let chunk = stream.next() {
            matches.bytes += Int64(chunk.count)
            if keepsTail { Self.keepTail(chunk, in: &tail) }
            searcher?.feed(chunk, to: sink)
            if content != nil {
                if (content?.count ?? 0) + chunk.count > options.maxConfigBytes {
                    content = nil
                    tooLarge = true
                } else {
                    content?.append(contentsOf: chunk)
                }
            }
        }
        searcher?.finish(to: sink)
        sink.finish()
        if keepsTail { matches.newest = newestTime(in: tail) }
        if options.profile, let matcher = searcher?.matcher {
            for (pattern, target) in plan.lineTargets.enumerated() where pattern < matcher.confirmations.count {
                let leaf: Int
                switch target {
                case let .log(index), let .followUp(index), let .jvmOption(index): leaf = index
                case .fact: continue
                }
                matches.charge(
                    rule: knowledgeBase.leaves[leaf].rule, confirmations: matcher.confirmations[pattern],
                    seconds: Double(matcher.confirmNanoseconds[pattern]) / 1e9)
            }
        }
        guard plan.needsContent else {
            matches.evaluatedKind = kind.name
            return matches
        }
        if tooLarge {
            warn(
                ScanWarning(
                    .configTooLarge, artifact: name.display,
                    "\(name.display): larger than \(options.maxConfigBytes) bytes; its configuration rules were not evaluated"
                ))
            return matches
        }
        if let content, evaluateConfig(content) { matches.evaluatedKind = kind.name }
        return matches
    }

    /// How many of a log's last bytes are searched for the time of its newest line.
    static let tailLength = 8192

    /// Keeps the last `tailLength` bytes of what was read.
    private static func keepTail(_ chunk: UnsafeRawBufferPointer, in tail: inout [UInt8]) {
        if chunk.count >= tailLength {
            tail = Array(chunk[(chunk.count - tailLength)...])
        } else {
            tail.append(contentsOf: chunk)
            if tail.count > 2 * tailLength { tail.removeFirst(tail.count - tailLength) }
        }
    }

    /// The time of the last line of `tail` that has one (logs are written in time order).
    private func newestTime(in tail: [UInt8]) -> Double? {
        tail.withUnsafeBytes { bytes -> Double? in
            var end = bytes.count
            var lines = 0
            while end > 0, lines < 200 {
                var start = end - 1
                while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
                if let stamp = timestamps.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
                    return stamp.epoch
                }
                end = start - 1
                lines += 1
            }
            return nil
        }
    }

    /// Runs the XPath, property and directive leaves of the plan on a config's content; false when it
    /// cannot be parsed.
    private func evaluateConfig(_ content: [UInt8]) -> Bool {
        let lines = SourceLines(content)
        switch plan.kind.format {
        case .xml:
            let document: XMLConfig
            do {
                document = try XMLConfig(bytes: content, name: name.display)
            } catch {
                warn(
                    ScanWarning(
                        .unparsableConfig, artifact: name.display,
                        "\(name.display): \(error); its XPath rules were not evaluated"))
                return false
            }
            for leaf in plan.configLeaves {
                let started = DispatchTime.now().uptimeNanoseconds
                defer { chargeConfig(leaf, since: started) }
                guard case let .xpath(query) = knowledgeBase.leaves[leaf].compiled else { continue }
                // Only the nodes that can still become evidence (and the first, for the message's values)
                // are described; the others are counted.
                let state = matches.state(leaf)
                let room = evidenceFull[leaf] ? 0 : max(0, options.maxEvidence - state.evidence.count)
                let selected: (count: Int, nodes: [XMLConfig.Node])
                do {
                    selected = try document.select(query, describing: state.count == 0 ? max(1, room) : room)
                } catch {
                    let rule = knowledgeBase.rules[knowledgeBase.leaves[leaf].rule].id
                    warn(
                        ScanWarning(
                            .unparsableConfig, artifact: name.display, "\(name.display): rule \(rule): \(error)"))
                    continue
                }
                for node in selected.nodes {
                    let line = node.line > 0 ? lines.startOfTag(node.element, endingOn: node.line) : nil
                    record(leaf, line: line, lines: lines, values: node.attributes, describe: node.value)
                }
                state.count += selected.count - selected.nodes.count
            }
        case .properties:
            let file = PropertiesFile(text: String(decoding: content, as: UTF8.self))
            for leaf in plan.configLeaves {
                guard case let .property(condition) = knowledgeBase.leaves[leaf].compiled else { continue }
                for hit in condition.evaluate(file) { record(leaf, hit, lines: lines) }
            }
        case .httpd, .sshd:
            // Evaluated once the whole upload is read, with the files its Include directives name.
            matches.directiveText = String(decoding: content, as: UTF8.self)
        case .certificate:
            let file = CertificateFile(bytes: content)
            for problem in file.problems {
                warn(ScanWarning(.unparsableConfig, artifact: name.display, "\(name.display): \(problem)"))
            }
            matches.certificates = file
        case .packages:
            let list = PackageList(text: String(decoding: content, as: UTF8.self))
            for leaf in plan.configLeaves {
                guard case let .package(condition) = knowledgeBase.leaves[leaf].compiled else { continue }
                for package in list.packages where condition.affects(package) {
                    let values = ["package": package.name, "version": package.version.description]
                    record(
                        leaf, line: package.line, lines: lines, values: values, describe: package.version.description)
                }
            }
        case .log, .text:
            break
        }
        return true
    }

    /// Adds a config leaf's evaluation time to its rule's cost, when profiling.
    private func chargeConfig(_ leaf: Int, since started: UInt64) {
        guard options.profile else { return }
        matches.charge(
            rule: knowledgeBase.leaves[leaf].rule,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    private func record(_ leaf: Int, _ hit: ConfigHit, lines: SourceLines) {
        record(leaf, line: hit.line, lines: lines, values: hit.values, describe: hit.description)
    }

    /// Counts a config match and cites it, until the leaf has as much evidence as the scan keeps: past
    /// that, no evidence is built (a config that matches half a million times costs counts, not strings).
    private func record(_ leaf: Int, line: Int?, lines: SourceLines, values: [String: String], describe: String) {
        Self.record(
            into: matches.state(leaf), name: name, line: line, lines: lines, values: values, describe: describe,
            options: options, citing: !evidenceFull[leaf])
    }

    /// Counts a configuration hit in `state` and cites its line (with context) or its description.
    static func record(
        into state: LeafState, name: ArtifactName, line: Int?, lines: SourceLines, values: [String: String],
        describe: String, options: ScanOptions, citing: Bool = true
    ) {
        state.count += 1
        if state.count == 1 {
            state.values.merge(values) { first, _ in first }
            state.values["artifact"] = name.display
        }
        guard citing, state.evidence.count < options.maxEvidence else { return }
        let text =
            line.flatMap { lines.line($0) }.map { bytes in bytes.withUnsafeBytes { evidenceText($0, options) } }
            ?? describe
        var item = Evidence(artifact: name.display, entry: name.entry, line: line, text: text)
        if let line, options.contextLines > 0 {
            let numbers =
                Array(max(1, line - options.contextLines)..<line) + Array((line + 1)...(line + options.contextLines))
            item.context = numbers.compactMap { number in
                lines.line(number).map { bytes in
                    Evidence.ContextLine(line: number, text: bytes.withUnsafeBytes { evidenceText($0, options) })
                }
            }
        }
        state.cite(item, limit: options.maxEvidence)
    }

    /// A line as evidence: decoded (invalid UTF-8 repaired), tabs kept, cut to the evidence length.
    func evidenceText(_ line: UnsafeRawBufferPointer) -> String {
        Self.evidenceText(line, options)
    }

    /// A line as evidence, cut to `options`' evidence length.
    static func evidenceText(_ line: UnsafeRawBufferPointer, _ options: ScanOptions) -> String {
        let limit = options.maxEvidenceLength
        let head = UnsafeRawBufferPointer(rebasing: line[0..<min(line.count, limit * 4)])
        var text = String(decoding: head, as: UTF8.self)
        text.removeAll { $0.asciiValue.map { $0 < 0x20 && $0 != 0x09 } ?? false }
        if text.count > limit || line.count > head.count {
            text = String(text.prefix(limit)) + "…"
        }
        return text.trimmingWhitespace()
    }
}
