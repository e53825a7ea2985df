import Foundation

/// The JSON form of a `ScanReport`: versioned by `schema_version`, keys in snake_case and sorted, so
/// that scripts and diffs can rely on it.
///
/// Field meanings are documented in the README.
public enum JSONReport {
    /// The version of the JSON layout; raised when a field changes meaning or disappears.
    public static let schemaVersion = 1

    /// Renders `report` as pretty-printed JSON with sorted keys.
    ///
    /// - Parameter report: The report.
    /// - Returns: The JSON text, ending in a newline.
    public static func render(_ report: ScanReport) -> String {
        JSONText.encode(Document(report))
    }

    struct Document: Encodable {
        let schema_version = JSONReport.schemaVersion
        let tool: Tool
        let knowledge_base: KnowledgeBaseInfo
        let input: InputInfo
        @Null var `case`: String?
        let system: SystemInfo
        let started_at: String
        let duration_ms: Int
        let summary: Summary
        let outcome: String
        @Null var nothing_checked: NothingCheckedInfo?
        @Null var suggested_case_severity: Int?
        @Null var response_target: String?
        let facts: [FactInfo]
        let findings: [FindingInfo]
        let suppressed: [FindingInfo]
        let not_evaluated: [NotEvaluatedInfo]
        let warnings: [WarningInfo]

        init(_ report: ScanReport) {
            tool = Tool()
            knowledge_base = KnowledgeBaseInfo(
                version: report.knowledgeBaseVersion, rules: report.ruleCount, digest: report.knowledgeBaseDigest)
            input = InputInfo(
                name: report.inputs.map(\.name).joined(separator: " + "),
                parts: report.inputs.map { PartInfo(path: $0.path, name: $0.name, format: $0.format, bytes: $0.bytes) })
            `case` = report.metadata.supportCase
            let m = report.metadata
            system = SystemInfo(
                id: m.system, host: m.host, product: m.product, version: m.version, environment: m.environment,
                plan: m.plan, metadata_sources: m.sources)
            started_at = ISO8601DateFormatter().string(from: report.startedAt)
            duration_ms = Int((report.duration * 1000).rounded())
            let counts = report.countsBySeverity
            summary = Summary(
                findings: report.findings.count,
                by_severity: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                artifacts_read: report.artifacts.count, bytes_read: report.bytesRead,
                entries_not_recognised: report.skipped.notRecognised,
                entries_skipped_with_warning: report.skipped.withWarning,
                warnings: report.warnings.count, rules_not_evaluated: report.notEvaluated.count)
            outcome = report.outcome.rawValue
            nothing_checked = NothingCheckedNotice.detail(of: report).map {
                NothingCheckedInfo(reason: $0.reason, entries_seen: $0.entriesSeen, unrecognised: $0.unrecognised)
            }
            suggested_case_severity = report.suggestedCaseSeverity
            response_target = report.responseTarget
            facts = (report.facts ?? []).map {
                FactInfo(name: $0.name, value: $0.value, evidence: EvidenceInfo($0.evidence))
            }
            findings = report.findings.map(FindingInfo.init)
            suppressed = report.suppressed.map(FindingInfo.init)
            not_evaluated = report.notEvaluated.map { NotEvaluatedInfo(rule: $0.rule, missing_kinds: $0.missingKinds) }
            warnings = report.warnings.map {
                WarningInfo(code: $0.code.rawValue, artifact: $0.artifact, message: $0.message)
            }
        }
    }

    struct Tool: Encodable {
        let name = "sysscan"
        let version = SysScanVersion.current
    }

    struct KnowledgeBaseInfo: Encodable {
        let version: String
        let rules: Int
        @Null var digest: String?
    }

    struct InputInfo: Encodable {
        let name: String
        let parts: [PartInfo]
    }

    struct PartInfo: Encodable {
        let path: String
        let name: String
        let format: String
        let bytes: Int64
    }

    struct SystemInfo: Encodable {
        @Null var id: String?
        @Null var host: String?
        @Null var product: String?
        @Null var version: String?
        @Null var environment: String?
        @Null var plan: String?
        let metadata_sources: [String]
    }

    struct Summary: Encodable {
        let findings: Int
        let by_severity: [String: Int]
        let artifacts_read: Int
        let bytes_read: Int64
        let entries_not_recognised: Int
        let entries_skipped_with_warning: Int
        let warnings: Int
        let rules_not_evaluated: Int
    }

    struct NothingCheckedInfo: Encodable {
        let reason: String
        let entries_seen: Int
        let unrecognised: [String]
    }

    /// A reference as every JSON output writes it: `type`, `id` (null for a URL), `url` (null when none).
    struct ReferenceInfo: Encodable {
        let type: String
        @Null var id: String?
        @Null var url: String?

        init(type: String, id: String?, url: String?) {
            self.type = type
            self.id = id
            self.url = url
        }

        init(_ reference: Reference) {
            if case let .url(address) = reference {
                self.init(type: "url", id: nil, url: address)
            } else {
                self.init(type: reference.type, id: reference.value, url: reference.link)
            }
        }
    }

    struct ContextInfo: Encodable {
        let line: Int
        let text: String
    }

    struct EvidenceInfo: Encodable {
        let artifact: String
        let entry: String
        @Null var line: Int?
        let text: String
        @Null var timestamp: String?
        let context: [ContextInfo]
        let repeats: Int
        @Null var last_line: Int?

        init(
            artifact: String, entry: String, line: Int?, text: String, timestamp: String?, context: [ContextInfo],
            repeats: Int, last_line: Int?
        ) {
            self.artifact = artifact
            self.entry = entry
            self.line = line
            self.text = text
            self.timestamp = timestamp
            self.context = context
            self.repeats = repeats
            self.last_line = last_line
        }

        init(_ evidence: Evidence) {
            self.init(
                artifact: evidence.artifact, entry: evidence.entry, line: evidence.line, text: evidence.text,
                timestamp: evidence.timestamp,
                context: evidence.context.map { ContextInfo(line: $0.line, text: $0.text) }, repeats: evidence.repeats,
                last_line: evidence.lastLine)
        }
    }

    struct FactInfo: Encodable {
        let name: String
        let value: String
        let evidence: EvidenceInfo
    }

    struct FindingInfo: Encodable {
        let rule: String
        let title: String
        let category: String
        let severity: String
        let message: String
        let recommendation: String
        let references: [ReferenceInfo]
        let count: Int
        @Null var first_seen: String?
        @Null var last_seen: String?
        @Null var `case`: String?
        @Null var original_severity: String?
        @Null var tuning_reason: String?
        let unverified: [String]
        @Null var last_seen_age_s: Int?
        let past_event: Bool
        let status: String
        let evidence: [EvidenceInfo]

        init(_ finding: Finding) {
            rule = finding.rule
            title = finding.title
            category = finding.category.rawValue
            severity = finding.severity.rawValue
            message = finding.message
            recommendation = finding.recommendation
            references = finding.references.map(ReferenceInfo.init)
            count = finding.count
            first_seen = finding.firstSeen
            last_seen = finding.lastSeen
            `case` = finding.supportCase
            original_severity = finding.originalSeverity?.rawValue
            tuning_reason = finding.tuningReason
            unverified = finding.unverified ?? []
            last_seen_age_s = finding.lastSeenAge.map { Int($0.rounded()) }
            past_event = finding.pastEvent ?? false
            status = (finding.status ?? .stable).rawValue
            evidence = finding.evidence.map(EvidenceInfo.init)
        }
    }

    struct NotEvaluatedInfo: Encodable {
        let rule: String
        let missing_kinds: [String]
    }

    struct WarningInfo: Encodable {
        let code: String
        @Null var artifact: String?
        let message: String
    }
}

/// Encodes an optional as `null` when absent (a synthesised `Encodable` would leave the key out), so that
/// scripts always find the fields they read.
@propertyWrapper
struct Null<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
