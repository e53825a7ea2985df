import Dispatch
import Foundation
import StreamMatch

/// The state of one scan: it receives the upload's entries in reading order, hands each artifact of a
/// known kind to an `ArtifactScan` (on the scan's matching threads when it has them), and merges what each
/// artifact gave in reading order, so the report is the same whatever the thread count.
///
/// `visit` and the other visitor calls come from one thread; the merged state (`leafStates`, `warnings`,
/// `evaluatedKinds`, counts) is read only after `finish()`.
final class ScanSession: UploadVisitor {
    /// Names a sidecar metadata file at the root of an upload may have.
    static let rootMetadataNames: Set<String> = ["sysscan.properties"]

    /// What the reading thread contributes to the merged state, in reading order.
    private enum Contribution {
        case warning(ScanWarning)
        case skippedWithWarning
        case notRecognised
        case evaluated(String)
        case artifact(ArtifactMatches)
    }

    let knowledgeBase: CompiledKnowledgeBase
    let options: ScanOptions
    let timestamps: TimestampParser
    let leafStates: [LeafState]
    /// Per leaf: whether the merged evidence reached the scan's limit (later artifacts need not cite).
    private var evidenceFull: [Bool]
    /// The files of the upload seen so far (entries read or skipped with a warning).
    private(set) var fileCount = 0
    /// The knowledge base's `file` conditions, with their leaf indices.
    private let fileLeaves: [(leaf: Int, condition: FileCondition.Compiled)]
    /// Per leaf of a `file` condition: the files that match it, counted as they are seen; only the first
    /// `maxEvidence` are kept, so memory does not grow with the upload's entries.
    private(set) var fileMatches: [Int: FileCondition.Matches] = [:]
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
    /// The time of the upload's newest log line (the latest last line of its logs), seconds since 1970.
    private(set) var newestLogTime: Double?
    /// Per fact definition: where the upload showed it last.
    private(set) var factSightings: [Int: FactSighting] = [:]
    /// With profiling: per artifact (name, kind, bytes, seconds), and per rule index (confirmations, seconds).
    private(set) var artifactCosts: [ScanProfile.Artifact] = []
    private(set) var ruleCosts: [Int: (confirmations: Int, seconds: Double)] = [:]
    /// The certificate files read, in reading order, judged at the upload's time once it is known.
    private var certificateFiles: [(name: ArtifactName, plan: CompiledKnowledgeBase.KindPlan, file: CertificateFile)] =
        []
    /// The httpd- and sshd-style configurations read, in reading order, evaluated with their includes.
    private var directiveFiles: [(name: ArtifactName, plan: CompiledKnowledgeBase.KindPlan, text: String)] = []
    private var finished = false
    /// The threads artifacts are matched on; nil: on the reading thread.
    private let pool: MatchPool?
    private let merge: OrderedMerge<Contribution>

    init(knowledgeBase: CompiledKnowledgeBase, options: ScanOptions) {
        self.knowledgeBase = knowledgeBase
        self.options = options
        self.timestamps = TimestampParser(now: options.now)
        self.leafStates = knowledgeBase.leaves.map { _ in LeafState() }
        evidenceFull = Array(repeating: false, count: knowledgeBase.leaves.count)
        fileLeaves = knowledgeBase.leaves.enumerated().compactMap { index, leaf in
            if case let .file(condition) = leaf.compiled { (index, condition) } else { nil }
        }
        let threads = max(1, options.threads)
        pool = threads > 1 ? MatchPool(threads: threads) : nil
        merge = OrderedMerge(limit: 4 * threads)
    }

    /// Hands a contribution to the merge.
    private func contribute(_ contribution: Contribution, ticket: Int? = nil) {
        merge.deliver(ticket ?? merge.reserve(), contribution) { apply($0) }
    }

    /// Waits for the artifacts still being matched and merges them; the merged state is final after it.
    func finish() {
        merge.waitForAll()
        pool?.close()
        guard !finished else { return }
        finished = true
        evaluateDirectiveFiles()
        evaluateCertificates()
    }

    /// Judges the certificate leaves at the upload's time: its newest log line, else the scan's date.
    private func evaluateCertificates() {
        let now = newestLogTime ?? options.now.timeIntervalSince1970
        let formatter = ISO8601DateFormatter()
        for (name, plan, file) in certificateFiles {
            for leaf in plan.configLeaves {
                guard case let .certificate(condition) = knowledgeBase.leaves[leaf].compiled else { continue }
                for certificate in condition.hits(in: file, now: now) {
                    let end = formatter.string(from: certificate.notValidAfter)
                    let days = Int(((certificate.notValidAfter.timeIntervalSince1970 - now) / 86_400).rounded(.down))
                    var text =
                        "certificate \(certificate.index + 1) \(certificate.subject), issued by \(certificate.issuer), valid until \(end)"
                    if let bits = certificate.rsaBits { text += ", RSA \(bits) bits" }
                    if certificate.sha1Signature { text += ", SHA-1 signature" }
                    if let problem = certificate.chainProblem { text += ": \(problem)" }
                    let state = leafStates[leaf]
                    state.count += 1
                    state.cite(
                        Evidence(artifact: name.display, entry: name.entry, line: certificate.line, text: text),
                        limit: options.maxEvidence)
                    if state.count == 1 {
                        state.values = [
                            "subject": certificate.subject, "issuer": certificate.issuer, "not_after": end,
                            "days": String(days), "bits": certificate.rsaBits.map(String.init) ?? "",
                            "artifact": name.display,
                        ]
                    }
                }
            }
        }
    }

    /// Evaluates the directive leaves on the httpd and sshd configurations as their daemons read them: each
    /// main file with the files it includes, and the files no main file includes on their own.
    private func evaluateDirectiveFiles() {
        guard !directiveFiles.isEmpty else { return }
        let tree = ConfigTree(
            files: directiveFiles.map { .init(name: $0.name, text: $0.text, format: $0.plan.kind.format) })
        let lines = directiveFiles.map { SourceLines(Array($0.text.utf8)) }
        func evaluate(_ configuration: DirectiveFile, root: Int) {
            for leaf in directiveFiles[root].plan.configLeaves {
                guard case let .directive(condition) = knowledgeBase.leaves[leaf].compiled else { continue }
                for hit in condition.evaluate(configuration) {
                    let source = hit.source ?? root
                    ArtifactScan.record(
                        into: leafStates[leaf], name: directiveFiles[source].name, line: hit.line, lines: lines[source],
                        values: hit.values, describe: hit.description, options: options)
                }
            }
        }
        for resolved in tree.resolved { evaluate(resolved.configuration, root: resolved.root) }
        for missing in tree.missing {
            let file = directiveFiles[missing.file].name
            warnings.append(
                ScanWarning(
                    .includeMissing, artifact: file.display,
                    "\(file.display):\(missing.line): Include \(missing.path) names no file of the upload; its directives were not checked"
                ))
        }
    }

    func warn(_ warning: ScanWarning) { contribute(.warning(warning)) }

    func skippedWithWarning(_ name: ArtifactName) {
        noteFile(name)
        contribute(.skippedWithWarning)
    }

    func visit(_ name: ArtifactName, stream: EntryStream) {
        noteFile(name)
        if let progress = options.progress {
            let bytes = merge.withLock { bytesRead }
            progress(ScanProgress(entries: fileCount, bytesRead: bytes, artifact: name.display))
        }
        switch Self.classify(name, knowledgeBase: knowledgeBase) {
        case .rootMetadata:
            readRootMetadata(name, stream: stream)
        case .unrecognised:
            if unrecognisedNames.count < Self.unrecognisedNameLimit { unrecognisedNames.append(name.entry) }
            contribute(.notRecognised)
        case let .artifact(kind, plan):
            artifacts.append(name.display)
            guard plan.hasRules else {
                contribute(.evaluated(kind.name))
                return
            }
            let scan = ArtifactScan(
                name: name, kind: kind, plan: plan, knowledgeBase: knowledgeBase, options: options,
                timestamps: timestamps, evidenceFull: merge.withLock { evidenceFull })
            let ticket = merge.reserve()
            if let pool, stream.detach() {
                pool.submit {
                    let matches = scan.run(stream)
                    stream.abandon()
                    self.contribute(.artifact(matches), ticket: ticket)
                }
            } else {
                contribute(.artifact(scan.run(stream)), ticket: ticket)
            }
        }
    }

    /// Counts a file of the upload and the `file` conditions it matches.
    private func noteFile(_ name: ArtifactName) {
        fileCount += 1
        guard !fileLeaves.isEmpty else { return }
        let parts = GlobSet.parts(of: name.entry)
        for (leaf, condition) in fileLeaves {
            let (matches, version) = condition.match(name, parts: parts)
            guard matches else { continue }
            var found = fileMatches[leaf] ?? FileCondition.Matches()
            found.count += 1
            if found.first.count < options.maxEvidence { found.first.append((name, version)) }
            fileMatches[leaf] = found
        }
    }

    /// The facts the upload showed, one per name (of several definitions of a name, the latest sighting
    /// wins), sorted by name.
    var detectedFacts: [DetectedFact] {
        var byName: [String: FactSighting] = [:]
        for (index, sighting) in factSightings.sorted(by: { $0.key < $1.key }) {
            let name = knowledgeBase.facts[index].name
            if byName[name].map({ $0.isReplaced(by: sighting) }) ?? true { byName[name] = sighting }
        }
        return byName.sorted { $0.key < $1.key }.map {
            DetectedFact(name: $0.key, value: $0.value.value, evidence: $0.value.evidence)
        }
    }

    /// Merges one contribution (under the merge's lock, in reading order).
    private func apply(_ contribution: Contribution) {
        switch contribution {
        case let .warning(warning):
            warnings.append(warning)
        case .skippedWithWarning:
            skipped.withWarning += 1
        case .notRecognised:
            skipped.notRecognised += 1
        case let .evaluated(kind):
            evaluatedKinds.insert(kind)
        case let .artifact(matches):
            bytesRead += matches.bytes
            if let newest = matches.newest, newestLogTime.map({ newest > $0 }) ?? true { newestLogTime = newest }
            warnings += matches.warnings
            if matches.skipped { skipped.withWarning += 1 }
            if let kind = matches.evaluatedKind { evaluatedKinds.insert(kind) }
            if let file = matches.certificates, let plan = knowledgeBase.plans[matches.kind] {
                certificateFiles.append((matches.name, plan, file))
            }
            if let text = matches.directiveText, let plan = knowledgeBase.plans[matches.kind] {
                directiveFiles.append((matches.name, plan, text))
            }
            for (fact, sighting) in matches.facts {
                if factSightings[fact].map({ $0.isReplaced(by: sighting) }) ?? true { factSightings[fact] = sighting }
            }
            for (leaf, state) in matches.states {
                leafStates[leaf].absorb(state, limit: options.maxEvidence)
                evidenceFull[leaf] = leafStates[leaf].evidence.count >= options.maxEvidence
            }
            if let cost = matches.cost { artifactCosts.append(cost) }
            for (rule, cost) in matches.ruleCosts {
                var total = ruleCosts[rule] ?? (0, 0)
                total.confirmations += cost.confirmations
                total.seconds += cost.seconds
                ruleCosts[rule] = total
            }
        }
    }

    /// Why nothing of the upload could be checked, for a scan that read no artifact: how many entries it
    /// saw and which of them are of no known kind.
    func nothingCheckedDetail(inputs: [ScanReport.Input]) -> ScanReport.NothingChecked {
        let seen = fileCount
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
