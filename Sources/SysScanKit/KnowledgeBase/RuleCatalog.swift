import Foundation

/// Renders rules for maintainers: the JSON list, the explanation of one rule, and new rule skeletons.
public enum RuleCatalog {
    /// The conditions `rules new` writes skeletons for.
    public static let skeletonConditions = ["log", "xpath", "property", "directive", "jvm_option", "file"]

    /// The version of the JSON layout of `json(_:knowledgeBase:)`; raised when a field changes meaning or
    /// disappears.
    public static let schemaVersion = 1

    /// The rules as JSON (sorted keys): `schema_version`; `knowledge_base` (version, number of rules,
    /// digest) and each rule's references shaped as in the scan's JSON report; each rule's id, title,
    /// category, severity, status, kinds, conditions and file.
    ///
    /// - Parameters:
    ///   - rules: The rules to list.
    ///   - knowledgeBase: The knowledge base they belong to.
    /// - Returns: The JSON text, ending in a newline.
    public static func json(_ rules: [Rule], knowledgeBase: KnowledgeBase) -> String {
        struct RuleInfo: Encodable {
            let id: String
            let title: String
            let category: String
            let severity: String
            let status: String
            let applies_to: [String]
            let conditions: [String]
            let references: [JSONReport.ReferenceInfo]
            let file: String
        }
        struct Document: Encodable {
            let schema_version = RuleCatalog.schemaVersion
            let knowledge_base: JSONReport.KnowledgeBaseInfo
            let rules: [RuleInfo]
        }
        let document = Document(
            knowledge_base: .init(
                version: knowledgeBase.version, rules: knowledgeBase.rules.count, digest: knowledgeBase.digest),
            rules: rules.map { rule in
                RuleInfo(
                    id: rule.id, title: rule.title, category: rule.category.rawValue, severity: rule.severity.rawValue,
                    status: rule.status.rawValue, applies_to: rule.appliesTo,
                    conditions: rule.condition.leaves.map(kindName),
                    references: rule.references.map(JSONReport.ReferenceInfo.init), file: rule.file)
            })
        return JSONText.encode(document)
    }

    /// The name of a leaf condition's kind (`log`, `xpath`, …).
    static func kindName(_ condition: Condition) -> String {
        switch condition {
        case .log: "log"
        case .xpath: "xpath"
        case .property: "property"
        case .directive: "directive"
        case .jvmOption: "jvm_option"
        case .file: "file"
        case .fact: "fact"
        case .package: "package"
        case .certificate: "certificate"
        case .all: "all"
        case .any: "any"
        case .not: "not"
        }
    }

    /// What a rule checks, on which artifacts, its references and its examples, as text.
    ///
    /// - Parameters:
    ///   - rule: The rule.
    ///   - kinds: The knowledge base's artifact kinds (for the globs of the rule's kinds).
    /// - Returns: The explanation, ending in a newline.
    public static func explain(_ rule: Rule, kinds: [ArtifactKind]) -> String {
        var out = "\(rule.id): \(rule.title)\n"
        out += "\(rule.category.rawValue), \(rule.severity.rawValue), \(rule.status.rawValue)"
        if let replacement = rule.replacedBy { out += " (replaced by \(replacement))" }
        out += "\n"
        if !rule.products.isEmpty { out += "Products: \(rule.products.joined(separator: ", "))\n" }
        if !rule.versions.isEmpty { out += "Versions: \(rule.versions.joined(separator: ", "))\n" }
        out += "\nFires when:\n" + describe(rule.condition, indent: "  ")
        out += "\nReads:\n"
        for name in rule.appliesTo {
            if name == "upload" {
                out += "  upload: the list of the upload's files\n"
            } else if let kind = kinds.first(where: { $0.name == name }) {
                out += "  \(name) (\(kind.format.rawValue)): \(kind.paths.joined(separator: ", "))\n"
            }
        }
        out += "\nMessage: \(rule.message)\n"
        out +=
            "\nRecommendation:\n" + rule.recommendation.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
            + "\n"
        out += "\nReferences:\n" + rule.references.map { "  \($0.type): \($0.value)" }.joined(separator: "\n") + "\n"
        for (title, examples) in [
            ("Triggering example", rule.triggeringExamples), ("Non-triggering example", rule.nonTriggeringExamples),
        ] {
            for example in examples {
                for file in example.files {
                    out += "\n\(title) (\(file.artifact)):\n"
                    for (index, line) in file.content.split(separator: "\n", omittingEmptySubsequences: false)
                        .enumerated()
                    {
                        out += (file.markedLines.contains(index + 1) ? "  ↓ " : "    ") + line + "\n"
                    }
                }
            }
        }
        out += "\nFile: \(rule.file)\n"
        return out
    }

    /// A condition as indented text.
    static func describe(_ condition: Condition, indent: String) -> String {
        switch condition {
        case let .all(children):
            return "\(indent)all of:\n" + children.map { describe($0, indent: indent + "  ") }.joined()
        case let .any(children):
            return "\(indent)any of:\n" + children.map { describe($0, indent: indent + "  ") }.joined()
        case let .not(child):
            return "\(indent)not:\n" + describe(child, indent: indent + "  ")
        case let .log(log):
            var text = "\(indent)at least \(log.minCount) line\(log.minCount == 1 ? "" : "s") matching /\(log.regex)/"
            if log.ignoreCase { text += " (any case)" }
            if let within = log.within { text += " within \(Int(within)) s" }
            if let capture = log.capture {
                text += ", counting lines where \(capture)"
                if let above = log.above { text += " > \(above)" }
                if let below = log.below { text += " < \(below)" }
            }
            if let follow = log.followedBy {
                text += ", each followed by a line matching /\(follow.regex)/"
                if let within = follow.within { text += " within \(Int(within)) s" }
            }
            return text + "\n"
        case let .xpath(expression):
            return "\(indent)XPath \(expression) selects a node (or is true)\n"
        case let .property(property):
            return
                "\(indent)property \(property.key) \(comparison(property.op, property.value, property.defaultValue))\n"
        case let .directive(directive):
            return
                "\(indent)directive \(directive.name) (\(directive.scope.rawValue)) \(comparison(directive.op, directive.value, directive.defaultValue))\n"
        case let .jvmOption(option):
            return "\(indent)JVM option \(option.option) \(comparison(option.op, option.value, nil))\n"
        case let .certificate(certificate):
            switch certificate.check {
            case .expired: return "\(indent)a certificate has expired\n"
            case let .expiresWithin(period):
                return "\(indent)a certificate expires within \(Int(period / 86_400)) days\n"
            case let .rsaKeyBelow(bits): return "\(indent)a certificate has an RSA key below \(bits) bits\n"
            case .sha1Signature: return "\(indent)a certificate is signed with SHA-1\n"
            case .chainMismatch: return "\(indent)a certificate is out of its chain or its file's key is not its key\n"
            }
        case let .package(package):
            var text = "\(indent)package \(package.name) installed"
            if let range = package.versionRange { text += ", upstream version \(range)" }
            if !package.fixedIn.isEmpty { text += ", unless at or above \(package.fixedIn.joined(separator: ", "))" }
            return text + "\n"
        case let .fact(fact):
            var text = "\(indent)fact \(fact.name)"
            if fact.absent {
                text += " not detected"
            } else {
                if let range = fact.versionRange { text += " in \(range.text)" }
                if let equals = fact.equals { text += " = \(equals)" }
                text += fact.whenUnknown == .unverified ? " (assumed when not detected)" : " (fails when not detected)"
            }
            return text + "\n"
        case let .file(file):
            var text = "\(indent)\(file.present ? "a file matches" : "no file matches") \(file.glob)"
            if let range = file.versionRange { text += " with a version in \(range)" }
            return text + "\n"
        }
    }

    private static func comparison(_ op: ComparisonOperator, _ value: String?, _ defaultValue: String?) -> String {
        var text = op.rawValue + (value.map { " \($0)" } ?? "")
        if let defaultValue { text += " (default when unset: \(defaultValue))" }
        return text
    }

    /// A rule file to fill in: `rules lint` fails on it until its `TODO` texts, its references and its
    /// examples are replaced by real ones.
    ///
    /// - Parameters:
    ///   - id: The rule's id.
    ///   - category: Its category.
    ///   - condition: The condition to start from (one of `skeletonConditions`).
    /// - Returns: The YAML text.
    public static func skeleton(id: String, category: String, condition: String) -> String {
        let (appliesTo, when) = conditionSkeleton(condition)
        return """
            id: \(id)
            title: TODO one-line title of the known issue
            category: \(category)
            severity: medium                  # critical | high | medium | low | info
            status: experimental              # experimental | stable | deprecated (with replaced_by)
            applies_to: [\(appliesTo)]          # sysscan rules kinds lists the artifact kinds
            when:
            \(when)
            message: "TODO what was found, {{count}} time(s)"
            recommendation: |
              TODO what to do about it.
            references:
              - article: KB-TODO-0000
              - url: https://example.org/TODO-public-reference
            examples:
              triggering: []                  # TODO: at least one artifact the rule fires on, ↓ (or >>) before each cited line
              non_triggering: []              # TODO: at least one near miss the rule must not fire on

            """
    }

    private static func conditionSkeleton(_ condition: String) -> (String, String) {
        switch condition {
        case "xpath":
            return ("tomcat-server-xml", "  xpath: \"//Connector[@protocol='TODO']\"")
        case "property":
            return (
                "java-properties", "  property: { key: TODO.key, op: eq, value: \"TODO\", default: \"TODO-default\" }"
            )
        case "directive":
            return ("sshd-config", "  directive: { name: TODO, op: eq, value: \"yes\", default: \"no\" }")
        case "jvm_option":
            return ("jvm-options, tomcat-log", "  jvm_option: { option: -Xmx, op: gt, value: 31g }")
        case "file":
            return (
                "upload",
                "  file:\n    glob: \"**/TODO-*.jar\"\n    version: 'TODO-(?<version>[0-9][^/]*)\\.jar$'\n    version_range: \"< 1.0\""
            )
        default:
            return ("app-log", "  log:\n    regex: 'TODO distinctive message text'\n    min_count: 1")
        }
    }

    /// The artifact kinds as a table, in the order they are tried: name, format, the number of rules that
    /// read it, and its globs; the built-in `upload` kind last.
    ///
    /// - Parameters:
    ///   - kinds: The knowledge base's kinds, in the order they are tried.
    ///   - rules: Its rules.
    /// - Returns: The text, ending in a newline.
    public static func kindsTable(_ kinds: [ArtifactKind], rules: [Rule]) -> String {
        let width = max(kinds.map(\.name.count).max() ?? 0, 6) + 2
        func row(_ name: String, _ format: String, _ paths: String) -> String {
            let count = rules.filter { $0.appliesTo.contains(name) }.count
            return name.padding(toLength: width, withPad: " ", startingAt: 0)
                + format.padding(toLength: 12, withPad: " ", startingAt: 0)
                + "\(count) rule\(count == 1 ? "" : "s")".padding(toLength: 10, withPad: " ", startingAt: 0) + paths
                + "\n"
        }
        var out = ""
        for kind in kinds { out += row(kind.name, kind.format.rawValue, kind.paths.joined(separator: ", ")) }
        out += row(RuleParser.uploadKind, "built in", "the upload's list of files, read by file conditions")
        return out
    }

    /// The artifact kinds as JSON: `name`, `format`, `paths` and `rules` (how many rules read it), in the
    /// order they are tried, the built-in `upload` kind last (format `upload`, no paths).
    ///
    /// - Parameters:
    ///   - kinds: The knowledge base's kinds.
    ///   - rules: Its rules.
    /// - Returns: The JSON text, ending in a newline.
    public static func kindsJSON(_ kinds: [ArtifactKind], rules: [Rule]) -> String {
        struct KindInfo: Encodable {
            let name: String
            let format: String
            let paths: [String]
            let rules: Int
        }
        func readers(_ name: String) -> Int { rules.filter { $0.appliesTo.contains(name) }.count }
        let infos =
            kinds.map { KindInfo(name: $0.name, format: $0.format.rawValue, paths: $0.paths, rules: readers($0.name)) }
            + [
                KindInfo(
                    name: RuleParser.uploadKind, format: "upload", paths: [], rules: readers(RuleParser.uploadKind))
            ]
        return JSONText.encode(["kinds": infos])
    }
}
