import Foundation
import Yams

/// The support policy: which case severity findings suggest, and each plan's response targets.
///
/// Loaded from `support-policy.yaml` (shipped beside the knowledge base).
public struct SupportPolicy: Sendable {
    /// The file name of the policy in the knowledge-base folder.
    public static let fileName = "support-policy.yaml"

    struct SeverityRule: Sendable {
        var severity: Int
        var findingSeverity: Severity?
        var category: Category?
        var environment: String?
    }

    /// A support plan.
    public struct Plan: Sendable {
        /// Its display name.
        public var name: String
        /// `numeric` (severities 0-3) or `priority` (P1-P4).
        public var scale: String
        /// When support works (24x5, 24x7, business hours).
        public var coverage: String
        /// Whether the plan includes assisted support.
        public var assisted: Bool
        /// Response target by severity key (`0`…`3` or `P1`…`P4`).
        public var response: [String: String]
        /// Resolution target by severity key.
        public var resolution: [String: String]
    }

    var rules: [SeverityRule]
    /// The plans by key.
    public var plans: [String: Plan]
    var priorityOf: [String: String]

    /// Loads the policy at `path`.
    ///
    /// - Throws: `KnowledgeBaseError` naming the file and what is wrong.
    public static func load(path: String) throws(KnowledgeBaseError) -> SupportPolicy {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "cannot read the support policy")
        }
        let object: Any?
        do { object = try Yams.load(yaml: text) } catch {
            throw .invalid([Diagnostic(.yamlSyntax, file: path, line: 1, column: 1, "not valid YAML: \(error)")])
        }
        guard let root = object as? [String: Any] else {
            throw .invalid([Diagnostic(.invalidValue, file: path, line: 1, column: 1, "the policy must be a mapping")])
        }
        var policy = SupportPolicy(rules: [], plans: [:], priorityOf: [:])
        for item in root["case_severity"] as? [[String: Any]] ?? [] {
            let when = item["when"] as? [String: Any] ?? [:]
            policy.rules.append(
                SeverityRule(
                    severity: item["severity"] as? Int ?? 3,
                    findingSeverity: (when["finding_severity"] as? String).flatMap(Severity.init),
                    category: (when["category"] as? String).flatMap(Category.init),
                    environment: when["environment"] as? String))
        }
        for (key, value) in root["plans"] as? [String: Any] ?? [:] {
            guard let plan = value as? [String: Any] else { continue }
            func table(_ name: String) -> [String: String] {
                (plan[name] as? [AnyHashable: Any] ?? [:]).reduce(into: [:]) { $0["\($1.key)"] = "\($1.value)" }
            }
            policy.plans[key] = Plan(
                name: plan["name"] as? String ?? key, scale: plan["scale"] as? String ?? "numeric",
                coverage: plan["coverage"] as? String ?? "", assisted: plan["assisted"] as? Bool ?? true,
                response: table("response"), resolution: table("resolution"))
        }
        policy.priorityOf = (root["priority_of"] as? [AnyHashable: Any] ?? [:]).reduce(into: [:]) {
            $0["\($1.key)"] = "\($1.value)"
        }
        return policy
    }

    /// The case severity the findings suggest (0 most urgent … 3), nil when there is no finding.
    ///
    /// - Parameters:
    ///   - findings: (severity, category) of each finding.
    ///   - environment: The system's environment, if known.
    public func suggestedSeverity(for findings: [(Severity, Category)], environment: String?) -> Int? {
        guard !findings.isEmpty else { return nil }
        return severity(for: findings, environment: environment)
    }

    /// The case severity the findings of a scan suggest, nil when there is no finding.
    ///
    /// Findings of experimental rules are reported but do not drive it: with only such findings, no entry
    /// but a catch-all matches and the severity is the lowest.
    ///
    /// - Parameters:
    ///   - findings: The findings.
    ///   - environment: The system's environment, if known.
    public func suggestedSeverity(for findings: [Finding], environment: String?) -> Int? {
        guard !findings.isEmpty else { return nil }
        return severity(
            for: findings.filter(\.drivesCaseSeverity).map { ($0.severity, $0.category) }, environment: environment)
    }

    /// The first matching entry's severity for the findings that drive it (3 when none matches).
    func severity(for findings: [(Severity, Category)], environment: String?) -> Int {
        for rule in rules {
            let matches = findings.contains { severity, category in
                (rule.findingSeverity.map { severity >= $0 } ?? true) && (rule.category.map { $0 == category } ?? true)
            }
            if matches, rule.environment.map({ $0 == environment }) ?? true { return rule.severity }
        }
        return 3
    }

    /// The response target of `plan` for a case of `severity`, as a sentence.
    public func target(plan key: String?, severity: Int) -> String? {
        guard let key,
            let plan = plans[key.lowercased()]
                ?? plans.values.first(where: { $0.name.lowercased() == key.lowercased() })
        else {
            return nil
        }
        guard plan.assisted else { return "\(plan.name): no assisted support" }
        let severityKey = plan.scale == "priority" ? (priorityOf["\(severity)"] ?? "P\(severity + 1)") : "\(severity)"
        var text = "\(plan.name): response \(plan.response[severityKey] ?? "?")"
        if let resolution = plan.resolution[severityKey] { text += ", resolution \(resolution)" }
        return text + " (\(severityKey), \(plan.coverage))"
    }
}
