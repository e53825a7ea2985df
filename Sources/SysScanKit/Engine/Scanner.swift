import Foundation

/// Scans one upload (a folder or an archive, possibly in several parts) against a compiled knowledge
/// base and returns the report.
///
/// One scanner per upload; never shared between threads. The knowledge base it uses is shared.
public final class Scanner {
    /// The compiled knowledge base.
    public let knowledgeBase: CompiledKnowledgeBase
    /// How the scan runs.
    public let options: ScanOptions

    /// Creates a scanner.
    ///
    /// - Parameters:
    ///   - knowledgeBase: The compiled knowledge base.
    ///   - options: How the scan runs.
    public init(knowledgeBase: CompiledKnowledgeBase, options: ScanOptions = ScanOptions()) {
        self.knowledgeBase = knowledgeBase
        self.options = options
    }

    /// Scans the upload at `paths` (one upload, possibly in several parts: each a folder, an archive or a
    /// plain file, which is a one-file upload).
    ///
    /// Damaged or unreadable entries become warnings and the scan goes on; nothing given is modified.
    ///
    /// - Parameter paths: The upload's parts.
    /// - Returns: The report.
    /// - Throws: `ScanError` for the first part that cannot be used at all (missing, empty, named as an
    ///   archive but not one, unreadable).
    public func scan(_ paths: [String]) throws(ScanError) -> ScanReport {
        let started = Date()
        let session = ScanSession(knowledgeBase: knowledgeBase, options: options)
        var inputs: [ScanReport.Input] = []
        var besideMetadata = UploadMetadata()
        let meter = ExpansionMeter(
            budget: options.budget, compressedSize: paths.reduce(0) { $0 + Self.fileSize($1) },
            seconds: options.maxSeconds)
        var reader = UploadReader(maxNesting: options.maxNesting)
        reader.meter = meter
        let knowledgeBase = self.knowledgeBase
        let routed = options.threads > 1
        for path in paths {
            // A budget stopped the upload in an earlier part (its warning said so): the later parts are not read.
            if meter.isStopped, meter.stop != .deadline { break }
            do throws(ScanError) {
                if meter.stop == .deadline {
                    throw ScanError.timedOut(path: paths.first ?? path, seconds: options.maxSeconds ?? 0)
                }
                if PipelinedUpload.isWorthPipelining(path, threads: options.threads) {
                    inputs.append(
                        try PipelinedUpload.read(path, reader: reader, visitor: session, routed: routed) { name in
                            ScanSession.readsContent(of: name, knowledgeBase: knowledgeBase)
                        })
                } else {
                    inputs.append(try reader.read(path, visitor: session))
                }
            } catch {
                session.finish()
                throw error
            }
            if meter.stop == .deadline {
                session.finish()
                throw ScanError.timedOut(path: paths.first ?? path, seconds: options.maxSeconds ?? 0)
            }
            if let sidecar = readSidecar(beside: path, session: session) {
                besideMetadata = besideMetadata.filled(from: sidecar)
            }
        }
        session.finish()
        besideMetadata = besideMetadata.filled(from: options.metadata)
        return report(session, inputs: inputs, metadata: besideMetadata, started: started)
    }

    /// Scans artifacts held in memory, as if they were the files of one folder upload (rule examples, tests).
    ///
    /// - Parameters:
    ///   - artifacts: Paths inside the upload and their content.
    ///   - name: The upload's name in the report.
    ///   - blockSize: The size of the blocks the content is read in.
    /// - Returns: The report.
    public func scan(artifacts: [(path: String, content: [UInt8])], name: String = "memory", blockSize: Int? = nil)
        -> ScanReport
    {
        let started = Date()
        let session = ScanSession(knowledgeBase: knowledgeBase, options: options)
        var bytes: Int64 = 0
        for (path, content) in artifacts {
            bytes += Int64(content.count)
            let artifact = ArtifactName(display: "\(name)/\(path)", entry: path, nesting: 0)
            session.visit(artifact, stream: EntryStream(bytes: content, blockSize: blockSize ?? options.blockSize))
        }
        session.finish()
        let input = ScanReport.Input(path: name, name: name, format: "memory", bytes: bytes)
        return report(session, inputs: [input], metadata: UploadMetadata(), started: started)
    }

    /// The size of the file at `path` (0 for a folder or what cannot be read).
    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return 0 }
        return Int64(info.st_size)
    }

    private func readSidecar(beside path: String, session: ScanSession) -> UploadMetadata? {
        Self.sidecar(beside: path, warn: session.warn)
    }

    private func report(
        _ session: ScanSession, inputs: [ScanReport.Input], metadata beside: UploadMetadata, started: Date
    )
        -> ScanReport
    {
        for skipped in knowledgeBase.source.skippedRuleFiles {
            session.warn(ScanWarning(.ruleFileSkipped, artifact: skipped.path, skipped.summary))
        }
        let metadata = Self.effectiveMetadata(
            beside: beside, root: session.rootMetadata, options: options, warn: session.warn)
        if session.artifacts.isEmpty {
            session.warn(
                ScanWarning(
                    .nothingRecognised, artifact: inputs.first?.name,
                    "the upload holds no file of a kind the knowledge base knows (\(session.skipped.notRecognised) entries not recognised)"
                ))
        }

        var findings: [Finding] = []
        var notEvaluated: [ScanReport.NotEvaluated] = []
        let evaluator = RuleEvaluator(session: session)
        for (index, rule) in knowledgeBase.rules.enumerated() {
            let outcome = evaluator.outcome(ofRule: index)
            guard outcome.evaluated else {
                let missing = rule.appliesTo.filter { !session.evaluatedKinds.contains($0) && $0 != "upload" }
                notEvaluated.append(.init(rule: rule.id, missingKinds: missing.isEmpty ? rule.appliesTo : missing))
                continue
            }
            guard outcome.holds else { continue }
            var values = outcome.values
            values["count"] = String(outcome.count)
            let assumed = outcome.unverified.sorted()
            var severity = rule.severity
            if !assumed.isEmpty { severity = severity.oneStepLower }
            var finding = Finding(
                rule: rule.id, title: rule.title, category: rule.category, severity: severity,
                message: MessageTemplate.render(rule.message, values: values),
                recommendation: rule.recommendation.trimmingWhitespace(), references: rule.references,
                count: max(outcome.count, 1), firstSeen: outcome.firstSeen?.text, lastSeen: outcome.lastSeen?.text,
                evidence: Array(outcome.evidence.prefix(options.maxEvidence)), supportCase: metadata.supportCase,
                status: rule.status)
            if !assumed.isEmpty { finding.unverified = assumed }
            if let last = outcome.lastSeen, let newest = session.newestLogTime {
                finding.lastSeenAge = max(0, newest - last.epoch)
                finding.pastEvent = newest - last.epoch > options.pastEventAfter
            }
            findings.append(finding)
        }
        let (tuned, suppressed) = applyTuning(findings, system: metadata.system, session: session)
        findings = tuned
        findings.sort { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.category != b.category { return Self.categoryOrder(a.category) < Self.categoryOrder(b.category) }
            return a.rule < b.rule
        }
        var report = ScanReport(
            inputs: inputs, metadata: metadata, knowledgeBaseVersion: knowledgeBase.source.version,
            ruleCount: knowledgeBase.rules.count, startedAt: started, duration: Date().timeIntervalSince(started),
            findings: findings, suppressed: suppressed, notEvaluated: notEvaluated, warnings: session.warnings,
            artifacts: session.artifacts,
            skipped: session.skipped, bytesRead: session.bytesRead)
        report.contentMetadata = session.rootMetadata ?? UploadMetadata()
        report.facts = session.detectedFacts
        report.knowledgeBaseDigest = knowledgeBase.source.digest
        if report.nothingChecked { report.nothingCheckedDetail = session.nothingCheckedDetail(inputs: inputs) }
        if options.profile {
            report.profile = ScanProfile(
                artifacts: session.artifactCosts.sorted { $0.seconds > $1.seconds },
                rules: session.ruleCosts.map {
                    ScanProfile.Rule(
                        id: knowledgeBase.rules[$0.key].id, confirmations: $0.value.confirmations,
                        seconds: $0.value.seconds)
                }
                .sorted { ($0.seconds, $0.id) > ($1.seconds, $1.id) })
        }
        if let policy = options.policy {
            report.suggestedCaseSeverity = policy.suggestedSeverity(
                for: findings, environment: metadata.environment)
            if let severity = report.suggestedCaseSeverity {
                report.responseTarget = policy.target(plan: metadata.plan, severity: severity)
            }
        }
        return report
    }

    /// The metadata a scan reports: the sidecar beside the upload wins over `sysscan.properties` inside it,
    /// which wins over the defaults (the spool's file names); `--system`, `--case` and `--plan` win over all.
    ///
    /// A malformed case number is dropped with a warning.
    static func effectiveMetadata(
        beside: UploadMetadata, root: UploadMetadata?, options: ScanOptions, warn: (ScanWarning) -> Void
    ) -> UploadMetadata {
        var metadata = beside
        if let root { metadata = metadata.filled(from: root) }
        metadata = metadata.filled(from: options.defaults)
        if let system = options.system { metadata.system = system }
        if let supportCase = metadata.supportCase, !Self.isCaseNumber(supportCase) {
            warn(
                ScanWarning(
                    .badMetadata, artifact: metadata.sources.first,
                    "case '\(supportCase)' in the upload's metadata is not a case number (C and 7 digits); ignored"))
            metadata.supportCase = nil
        }
        if let supportCase = options.supportCase { metadata.supportCase = supportCase }
        if let plan = options.plan { metadata.plan = plan }
        return metadata
    }

    /// Applies the tuning: suppresses or re-rates findings; warns of expired entries and unknown rules.
    private func applyTuning(_ findings: [Finding], system: String?, session: ScanSession) -> ([Finding], [Finding]) {
        guard let tuning = options.tuning else { return (findings, []) }
        let known = Set(knowledgeBase.rules.map(\.id))
        var active: [Tuning.Entry] = []
        for entry in tuning.entries {
            if !known.contains(entry.rule) {
                session.warn(
                    ScanWarning(
                        .tuningNotApplied, artifact: tuning.file,
                        "\(tuning.file):\(entry.line): tuning names the unknown rule '\(entry.rule)'; not applied"
                            + NameSuggestion.clause(for: entry.rule, among: knowledgeBase.rules.map(\.id))))
            } else if let expires = entry.expires, expires < options.now {
                session.warn(
                    ScanWarning(
                        .tuningNotApplied, artifact: tuning.file,
                        "\(tuning.file):\(entry.line): tuning of \(entry.rule) expired; not applied (\(entry.reason))"))
            } else if entry.system == nil || entry.system == system {
                active.append(entry)
            }
        }
        var kept: [Finding] = []
        var suppressed: [Finding] = []
        for var finding in findings {
            let entries = active.filter { $0.rule == finding.rule }
            if let suppression = entries.first(where: { $0.action == .suppress }) {
                finding.tuningReason = suppression.reason
                suppressed.append(finding)
                continue
            }
            if let change = entries.last, case let .severity(severity) = change.action {
                finding.originalSeverity = finding.severity
                finding.severity = severity
                finding.tuningReason = change.reason
            }
            kept.append(finding)
        }
        return (kept, suppressed)
    }

    /// Whether `text` is a support case number: `C` and 7 digits.
    public static func isCaseNumber(_ text: String) -> Bool { CaseNumber.isValid(text) }

    static func categoryOrder(_ category: Category) -> Int {
        switch category {
        case .security: 0
        case .stability: 1
        case .performance: 2
        }
    }
}
