import Dispatch
import StreamMatch

/// The state of one scan: it receives the upload's entries, runs the rules of each entry's kind on it,
/// and accumulates matches, warnings and counts.
///
/// Not thread-safe; owned by one `Scanner` call.
final class ScanSession: UploadVisitor {
    /// Names a sidecar metadata file at the root of an upload may have.
    static let rootMetadataNames: Set<String> = ["sysscan.properties"]

    let knowledgeBase: CompiledKnowledgeBase
    let options: ScanOptions
    let timestamps: TimestampParser
    let leafStates: [LeafState]
    /// Every file of the upload (for `file` conditions), in reading order.
    private(set) var files: [ArtifactName] = []
    /// The paths of `files` split and normalised as globs see them, made once for every `file` condition.
    private(set) lazy var filePaths: [[ArraySlice<UInt8>]] = files.map { GlobSet.parts(of: $0.entry) }
    /// Kinds of which at least one artifact was fully evaluated.
    private(set) var evaluatedKinds: Set<String> = []
    private(set) var artifacts: [String] = []
    private(set) var warnings: [ScanWarning] = []
    private(set) var skipped = ScanReport.SkippedEntries()
    /// The paths inside the upload of the first `unrecognisedNameLimit` entries of no known kind.
    private(set) var unrecognisedNames: [String] = []
    /// How many names of unrecognised entries are kept.
    static let unrecognisedNameLimit = 20
    private(set) var bytesRead: Int64 = 0
    private(set) var rootMetadata: UploadMetadata?
    /// With profiling: per artifact (name, kind, bytes, seconds), and per rule index (confirmations, seconds).
    private(set) var artifactCosts: [ScanProfile.Artifact] = []
    private(set) var ruleCosts: [Int: (confirmations: Int, seconds: Double)] = [:]

    init(knowledgeBase: CompiledKnowledgeBase, options: ScanOptions) {
        self.knowledgeBase = knowledgeBase
        self.options = options
        self.timestamps = TimestampParser(now: options.now)
        self.leafStates = knowledgeBase.leaves.map { _ in LeafState() }
    }

    func warn(_ warning: ScanWarning) { warnings.append(warning) }

    func skippedWithWarning(_ name: ArtifactName) {
        files.append(name)
        skipped.withWarning += 1
    }

    func visit(_ name: ArtifactName, stream: EntryStream) {
        files.append(name)
        options.progress?(ScanProgress(entries: files.count, bytesRead: bytesRead, artifact: name.display))
        let kind: ArtifactKind
        let plan: CompiledKnowledgeBase.KindPlan
        switch Self.classify(name, knowledgeBase: knowledgeBase) {
        case .rootMetadata:
            readRootMetadata(name, stream: stream)
            return
        case let .artifact(found, foundPlan):
            (kind, plan) = (found, foundPlan)
        case .unrecognised:
            skipped.notRecognised += 1
            if unrecognisedNames.count < Self.unrecognisedNameLimit { unrecognisedNames.append(name.entry) }
            return
        }
        artifacts.append(name.display)
        guard plan.hasRules else {
            evaluatedKinds.insert(kind.name)
            return
        }
        if kind.format != .xml, ContentSniffer.looksBinary(stream.peek(8192)) {
            warn(
                ScanWarning(
                    .binaryContent, artifact: name.display,
                    "\(name.display): binary content where \(kind.name) text was expected; skipped"))
            skipped.withWarning += 1
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let bytesBefore = bytesRead
        defer {
            if options.profile {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                artifactCosts.append(
                    .init(name: name.display, kind: kind.name, bytes: bytesRead - bytesBefore, seconds: seconds))
            }
        }
        let sink = LogRuleSink(session: self, plan: plan, artifact: name)
        var searcher = plan.patternSet.map { set -> LineSearcher<PatternSet.Session> in
            var session = set.makeSession()
            session.profiling = options.profile
            return LineSearcher(
                matcher: session, maxLineLength: options.maxLineLength, contextLines: options.contextLines)
        }
        var content: [UInt8]? = plan.needsContent ? [] : nil
        var tooLarge = false
        while let chunk = stream.next() {
            bytesRead += Int64(chunk.count)
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
        if options.profile, let matcher = searcher?.matcher {
            for (pattern, target) in plan.lineTargets.enumerated() where pattern < matcher.confirmations.count {
                let leaf: Int
                switch target {
                case let .log(index), let .followUp(index), let .jvmOption(index): leaf = index
                }
                let rule = knowledgeBase.leaves[leaf].rule
                var cost = ruleCosts[rule] ?? (0, 0)
                cost.confirmations += matcher.confirmations[pattern]
                cost.seconds += Double(matcher.confirmNanoseconds[pattern]) / 1e9
                ruleCosts[rule] = cost
            }
        }
        guard plan.needsContent else {
            evaluatedKinds.insert(kind.name)
            return
        }
        if tooLarge {
            warn(
                ScanWarning(
                    .configTooLarge, artifact: name.display,
                    "\(name.display): larger than \(options.maxConfigBytes) bytes; its configuration rules were not evaluated"
                ))
            return
        }
        if let content, evaluateConfig(content, name: name, plan: plan) { evaluatedKinds.insert(kind.name) }
    }

    /// Runs the XPath, property and directive leaves of `plan` on a config's content; false when it
    /// cannot be parsed.
    private func evaluateConfig(_ content: [UInt8], name: ArtifactName, plan: CompiledKnowledgeBase.KindPlan) -> Bool {
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
                guard case let .xpath(expression) = knowledgeBase.leaves[leaf].condition else { continue }
                let nodes: [XMLConfig.Node]
                do {
                    nodes = try document.select(expression)
                } catch {
                    let rule = knowledgeBase.rules[knowledgeBase.leaves[leaf].rule].id
                    warn(
                        ScanWarning(
                            .unparsableConfig, artifact: name.display, "\(name.display): rule \(rule): \(error)"))
                    continue
                }
                for node in nodes {
                    let line = node.line > 0 ? lines.startOfTag(node.element, endingOn: node.line) : nil
                    record(leaf, name: name, line: line, lines: lines, values: node.attributes, describe: node.value)
                }
            }
        case .properties:
            let file = PropertiesFile(text: String(decoding: content, as: UTF8.self))
            for leaf in plan.configLeaves {
                guard case let .property(condition) = knowledgeBase.leaves[leaf].condition else { continue }
                let entry = file[condition.key]
                guard PropertyEvaluator.fires(condition, entry: entry) else { continue }
                let value = entry?.value ?? condition.defaultValue ?? ""
                let values = ["key": condition.key, "value": value]
                let description = Self.absence(
                    of: condition.key, op: condition.op, defaultValue: condition.defaultValue)
                record(
                    leaf, name: name, line: entry?.line, lines: lines, values: values,
                    describe: entry == nil ? description : value)
            }
        case .httpd, .sshd:
            let file = DirectiveFile(text: String(decoding: content, as: UTF8.self), format: plan.kind.format)
            for leaf in plan.configLeaves {
                guard case let .directive(condition) = knowledgeBase.leaves[leaf].condition else { continue }
                let (global, blocks) = file.effective(condition.name)
                var candidates: [DirectiveFile.Entry?] = [global]
                if condition.scope == .any { candidates += blocks.map { Optional($0) } }
                for entry in candidates {
                    guard
                        ValueComparison.holds(
                            condition.op, actual: entry?.value, expected: condition.value,
                            defaultValue: entry == nil ? condition.defaultValue : nil)
                    else { continue }
                    let value = entry?.value ?? condition.defaultValue ?? ""
                    let values = ["name": condition.name, "value": value, "block": entry?.block ?? ""]
                    let description = Self.absence(
                        of: condition.name, op: condition.op, defaultValue: condition.defaultValue)
                    record(
                        leaf, name: name, line: entry?.line, lines: lines, values: values,
                        describe: entry == nil ? description : value)
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
        let rule = knowledgeBase.leaves[leaf].rule
        var cost = ruleCosts[rule] ?? (0, 0)
        cost.seconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        ruleCosts[rule] = cost
    }

    /// The evidence text of a key or directive that is not set.
    private static func absence(of key: String, op: ComparisonOperator, defaultValue: String?) -> String {
        if op == .absent || defaultValue == nil { return "\(key) is not set" }
        return "\(key) is not set; the default \(defaultValue ?? "") applies"
    }

    private func record(
        _ leaf: Int, name: ArtifactName, line: Int?, lines: SourceLines, values: [String: String], describe: String
    ) {
        let state = leafStates[leaf]
        state.count += 1
        let text =
            line.flatMap { lines.line($0) }.map { bytes in bytes.withUnsafeBytes { evidenceText($0) } } ?? describe
        var item = Evidence(artifact: name.display, entry: name.entry, line: line, text: text)
        if let line, options.contextLines > 0 {
            let numbers =
                Array(max(1, line - options.contextLines)..<line) + Array((line + 1)...(line + options.contextLines))
            item.context = numbers.compactMap { number in
                lines.line(number).map { bytes in
                    Evidence.ContextLine(line: number, text: bytes.withUnsafeBytes { evidenceText($0) })
                }
            }
        }
        state.cite(item, limit: options.maxEvidence)
        if state.count == 1 {
            state.values.merge(values) { first, _ in first }
            state.values["artifact"] = name.display
        }
    }

    /// Why nothing of the upload could be checked, for a scan that read no artifact: how many entries it
    /// saw and which of them are of no known kind.
    func nothingCheckedDetail(inputs: [ScanReport.Input]) -> ScanReport.NothingChecked {
        let seen = files.count
        let reason: String
        if seen == 0 {
            if !inputs.allSatisfy({ $0.format == "folder" }) {
                reason = "the upload holds no file"
            } else {
                reason = inputs.count == 1 ? "the folder holds no file" : "the folders hold no file"
            }
        } else if skipped.notRecognised == seen {
            reason =
                seen == 1
                ? "its one entry is of no kind the knowledge base knows"
                : "none of its \(seen) entries is of a kind the knowledge base knows"
        } else {
            var parts: [String] = []
            if skipped.notRecognised > 0 { parts.append("\(skipped.notRecognised) of no known kind") }
            if skipped.withWarning > 0 { parts.append("\(skipped.withWarning) skipped with a warning") }
            let metadata = seen - skipped.notRecognised - skipped.withWarning
            if metadata > 0 { parts.append("\(metadata) metadata") }
            let subject = seen == 1 ? "its one entry is not" : "none of its \(seen) entries is"
            reason = "\(subject) a file the knowledge base can check (\(parts.joined(separator: ", ")))"
        }
        return ScanReport.NothingChecked(reason: reason, entriesSeen: seen, unrecognised: unrecognisedNames)
    }

    /// A line as evidence: decoded (invalid UTF-8 repaired), tabs kept, cut to the evidence length.
    func evidenceText(_ line: UnsafeRawBufferPointer) -> String {
        let limit = options.maxEvidenceLength
        let head = UnsafeRawBufferPointer(rebasing: line[0..<min(line.count, limit * 4)])
        var text = String(decoding: head, as: UTF8.self)
        text.removeAll { $0.asciiValue.map { $0 < 0x20 && $0 != 0x09 } ?? false }
        if text.count > limit || line.count > head.count {
            text = String(text.prefix(limit)) + "…"
        }
        return text.trimmingWhitespace()
    }

    /// What an entry is to a scan, from its path alone.
    enum EntryRole {
        /// `sysscan.properties` at the upload's root.
        case rootMetadata
        /// An artifact of a kind the knowledge base knows.
        case artifact(ArtifactKind, CompiledKnowledgeBase.KindPlan)
        /// Of no known kind.
        case unrecognised
    }

    /// What `name` is to a scan; safe on any thread, as it reads only the immutable knowledge base.
    static func classify(_ name: ArtifactName, knowledgeBase: CompiledKnowledgeBase) -> EntryRole {
        let parts = GlobSet.parts(of: name.entry)
        if name.nesting == 0, isRootMetadata(parts) { return .rootMetadata }
        guard let kind = knowledgeBase.locator.kind(forParts: parts), let plan = knowledgeBase.plans[kind.name] else {
            return .unrecognised
        }
        return .artifact(kind, plan)
    }

    /// Whether `visit` reads an entry's bytes (root metadata, or an artifact of a kind with rules).
    static func readsContent(of name: ArtifactName, knowledgeBase: CompiledKnowledgeBase) -> Bool {
        switch classify(name, knowledgeBase: knowledgeBase) {
        case .rootMetadata: true
        case let .artifact(_, plan): plan.hasRules
        case .unrecognised: false
        }
    }

    private static func isRootMetadata(_ parts: [ArraySlice<UInt8>]) -> Bool {
        guard parts.count <= 2, let last = parts.last else { return false }
        return rootMetadataNames.contains(String(decoding: last, as: UTF8.self))
    }

    private func readRootMetadata(_ name: ArtifactName, stream: EntryStream) {
        var bytes: [UInt8] = []
        while let chunk = stream.next(), bytes.count < 1 << 20 { bytes.append(contentsOf: chunk) }
        let file = PropertiesFile(text: String(decoding: bytes, as: UTF8.self))
        let metadata = UploadMetadata(values: file.values, source: name.display)
        rootMetadata = rootMetadata.map { $0.filled(from: metadata) } ?? metadata
    }
}

/// The lines of a buffered file, found once, for citing evidence by line number.
struct SourceLines {
    private let content: [UInt8]
    private var starts: [Int] = [0]

    init(_ content: [UInt8]) {
        self.content = content
        for (index, byte) in content.enumerated() where byte == 0x0A { starts.append(index + 1) }
    }

    /// The line where the start tag of `element` that ends on line `endLine` begins: libxml2 numbers an
    /// element by the line of its start tag's `>`, people cite the line of its `<`.
    func startOfTag(_ element: String, endingOn endLine: Int) -> Int {
        guard !element.isEmpty else { return endLine }
        let name = Array(element.utf8)
        var number = endLine
        while number >= max(1, endLine - 200) {
            if let line = line(number), Self.containsStartTag(name, in: line) { return number }
            number -= 1
        }
        return endLine
    }

    /// Whether `line` holds `<name` or `<prefix:name` followed by white space, `>`, `/` or the line end.
    private static func containsStartTag(_ name: [UInt8], in line: ArraySlice<UInt8>) -> Bool {
        var index = line.startIndex
        while let open = line[index...].firstIndex(of: UInt8(ascii: "<")) {
            var start = open + 1
            if let colon = line[start...].prefix(64).firstIndex(of: UInt8(ascii: ":")),
                !line[start..<colon].contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ">") })
            {
                if !line[start...].starts(with: name) { start = colon + 1 }
            }
            if line[start...].starts(with: name) {
                let after = start + name.count
                if after == line.endIndex
                    || [0x20, 0x09, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(line[after])
                {
                    return true
                }
            }
            index = open + 1
        }
        return false
    }

    /// The bytes of line `number` (from 1) without its line end, or nil past the end.
    func line(_ number: Int) -> ArraySlice<UInt8>? {
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        if number == starts.count, start == content.count { return nil }  // nothing after the final newline
        var end = number < starts.count ? starts[number] - 1 : content.count
        if end > start, content[end - 1] == 0x0D { end -= 1 }
        return start <= end ? content[start..<end] : nil
    }
}
