import Foundation
import StreamMatch
import Yams

/// Turns the text of one rule file into a `Rule`, reporting every problem to a `YAMLNodeReader`.
struct RuleParser {
    let kinds: [ArtifactKind]
    /// The facts the knowledge base detects (`fact` conditions must name one).
    var factNames: Set<String> = []

    static let topLevelKeys = [
        "id", "title", "category", "severity", "status", "replaced_by", "applies_to", "products", "versions", "when",
        "message", "recommendation", "references", "examples", "mutations_opt_out",
    ]
    static let conditionKeys = [
        "log", "xpath", "property", "directive", "jvm_option", "file", "fact", "package", "certificate", "all", "any",
        "not",
    ]
    /// The built-in kind of the upload's list of files.
    static let uploadKind = "upload"
    static let requiredKeys = [
        "id", "title", "category", "severity", "applies_to", "when", "message", "recommendation",
    ]

    func parse(_ text: String, reader: inout YAMLNodeReader) -> Rule? {
        guard let root = reader.compose(text, whatIsNeeded: "a rule") else { return nil }
        guard let entries = reader.mapping(root, context: "", allowed: Self.topLevelKeys, required: Self.requiredKeys)
        else { return nil }

        let id = reader.nonEmptyString(entries["id"], "id")
        if let id {
            let fileName = ((reader.file as NSString).lastPathComponent as NSString).deletingPathExtension
            if id != fileName {
                reader.report(.idMismatch, at: entries["id"], "id '\(id)' differs from the file name '\(fileName)'")
            } else if id.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)*$"#, options: .regularExpression) == nil {
                reader.report(.idMismatch, at: entries["id"], "id '\(id)' is not UPPER-KEBAB-CASE")
            }
        }
        let title = reader.nonEmptyString(entries["title"], "title")
        let category = reader.oneOf(entries["category"], "category", Category.self)
        let folder = ((reader.file as NSString).deletingLastPathComponent as NSString).lastPathComponent
        if let category, let folderCategory = Category(rawValue: folder), folderCategory != category {
            reader.report(
                .categoryFolder, .warning, at: entries["category"],
                "'category' is '\(category.rawValue)' but the file is in the folder '\(folder)/': move it to "
                    + "'\(category.rawValue)/' or correct the category")
        }
        let severity = reader.oneOf(entries["severity"], "severity", Severity.self)
        let status = entries["status"].map { reader.oneOf($0, "status", Rule.Status.self) } ?? .stable
        let replacedBy = reader.string(entries["replaced_by"], "replaced_by")
        if status == .deprecated, replacedBy == nil {
            reader.report(
                .deprecatedWithoutReplacement, .warning, at: entries["status"],
                "a deprecated rule should name its successor in 'replaced_by'")
        }
        let appliesTo = reader.stringList(entries["applies_to"], "applies_to") ?? []
        if let node = entries["applies_to"] {
            if appliesTo.isEmpty {
                reader.report(.invalidValue, at: node, "'applies_to' must name at least one artifact kind")
            }
            let known = kinds.map(\.name) + [Self.uploadKind]
            for kind in appliesTo where !known.contains(kind) {
                reader.report(
                    .unknownArtifactKind, at: node,
                    "'applies_to' names the unknown artifact kind '\(kind)' (kinds are defined in knowledge-base.yaml; "
                        + "sysscan rules kinds lists them)" + NameSuggestion.clause(for: kind, among: known))
            }
        }
        let products = reader.stringList(entries["products"], "products") ?? []
        let versions = reader.stringList(entries["versions"], "versions") ?? []
        let condition = entries["when"].flatMap {
            parseCondition($0, path: "when", appliesTo: appliesTo, reader: &reader)
        }
        var optOut: [String: String] = [:]
        if let node = entries["mutations_opt_out"],
            let mapping = reader.mapping(
                node, context: "mutations_opt_out",
                allowed: ExampleVerifier.Mutation.allCases.map(\.rawValue).filter { $0 != "none" })
        {
            for (name, reason) in mapping {
                optOut[name] = reader.nonEmptyString(reason, "mutations_opt_out.\(name)") ?? ""
            }
        }
        let message = reader.nonEmptyString(entries["message"], "message")
        let recommendation = reader.nonEmptyString(entries["recommendation"], "recommendation")
        let references = parseReferences(entries["references"], reader: &reader)
        if references.isEmpty {
            reader.report(.missingReferences, .warning, at: entries["references"] ?? root, "the rule has no references")
        }
        let (triggering, nonTriggering) = parseExamples(entries["examples"], appliesTo: appliesTo, reader: &reader)
        if triggering.isEmpty || nonTriggering.isEmpty {
            reader.report(
                .missingExamples, .warning, at: entries["examples"] ?? root,
                "the rule needs at least one triggering and one non-triggering example")
        }

        for (key, node) in entries where key != "examples" {
            reportUnfinished(node, path: key, reader: &reader)
        }
        if let condition, let message {
            checkPlaceholders(
                message, at: entries["message"], condition: condition, examples: triggering + nonTriggering,
                reader: &reader)
        }

        guard let id, let title, let category, let severity, let status, let condition, let message, let recommendation
        else { return nil }
        return Rule(
            id: id, title: title, category: category, severity: severity, status: status, replacedBy: replacedBy,
            appliesTo: appliesTo, products: products, versions: versions, condition: condition, message: message,
            recommendation: recommendation, references: references, triggeringExamples: triggering,
            nonTriggeringExamples: nonTriggering, file: reader.file, mutationsOptOut: optOut)
    }

    /// Reports every text below `node` that a rule skeleton leaves to fill in: a `TODO`, or an address
    /// at a domain reserved for documentation (`example.org`, `.com`, `.net`).
    private func reportUnfinished(_ node: Node, path: String, reader: inout YAMLNodeReader) {
        switch node {
        case let .scalar(scalar):
            if scalar.string.range(of: #"\bTODO\b"#, options: .regularExpression) != nil {
                reader.report(.unfinished, .warning, at: node, "'\(path)' still holds the skeleton's TODO text")
            } else if scalar.string.range(
                of: #"^https?://([^/]*\.)?example\.(org|com|net)([:/]|$)"#, options: .regularExpression) != nil
            {
                reader.report(
                    .unfinished, .warning, at: node,
                    "'\(path)' is an address at a domain reserved for examples: name the real reference")
            }
        case let .mapping(mapping):
            for (key, value) in mapping {
                reportUnfinished(value, path: "\(path).\(key.string ?? "?")", reader: &reader)
            }
        case let .sequence(sequence):
            for item in sequence { reportUnfinished(item, path: "\(path)[]", reader: &reader) }
        case .alias:
            break
        }
    }

    /// Reports a double-quoted regex in which YAML turned an escape into a control character (`"\b"` is a
    /// backspace there, not a word boundary).
    private func reportEscapes(_ node: Node?, _ path: String, reader: inout YAMLNodeReader) {
        guard let node, case let .scalar(scalar) = node, scalar.style == .doubleQuoted,
            scalar.string.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" })
        else { return }
        reader.report(
            .escapeInDoubleQuotes, .warning, at: node,
            "'\(path)' is in double quotes, where YAML turned an escape such as \\b into a control character: "
                + "write the regex in single quotes ('…'), where \\ stays as it is")
    }

    /// Reports markers that mark nothing: a `↓` after other text on its line, any marker in a
    /// non-triggering example.
    private func reportMarkers(
        _ file: RuleExample.File, at node: Node?, triggering: Bool, reader: inout YAMLNodeReader
    ) {
        func report(_ line: Int, _ message: String) {
            if let fileLine = file.fileLine(of: line) {
                reader.report(.misplacedMarker, .warning, line: fileLine, column: 1, message)
            } else {
                reader.report(.misplacedMarker, .warning, at: node, message)
            }
        }
        for line in file.misplacedMarkers {
            report(
                line,
                "line \(line) of the example of \(file.artifact) holds a ↓ after other text, which marks nothing: "
                    + "a marker (↓ or >>) goes first on its line, after any indentation")
        }
        if !triggering {
            for line in file.markedLines {
                report(
                    line,
                    "line \(line) of a non-triggering example of \(file.artifact) is marked: a marker means "
                        + "nothing there (the rule must not fire); remove it")
            }
        }
    }

    /// Reports each placeholder of `message` that the rule's condition never fills.
    private func checkPlaceholders(
        _ message: String, at node: Node?, condition: Condition, examples: [RuleExample], reader: inout YAMLNodeReader
    ) {
        let used = MessageTemplate.placeholders(in: message).map(\.name)
        guard !used.isEmpty else { return }
        let attributes = examples.flatMap(\.files).reduce(into: Set<String>()) {
            $0.formUnion(MessagePlaceholders.attributeNames(inXML: $1.content))
        }
        let fillable = MessagePlaceholders.fillable(by: condition, xmlAttributes: attributes)
        var reported: Set<String> = []
        for name in used where !fillable.contains(name) && reported.insert(name).inserted {
            reader.report(
                .unknownPlaceholder, .warning, at: node,
                "'message' uses {{\(name)}}, which this rule never fills (the report would show '?'): it fills "
                    + fillable.sorted().joined(separator: ", ")
                    + YAMLNodeReader.suggestion(for: name, among: fillable.sorted()))
        }
    }

    private func parseCondition(_ node: Node, path: String, appliesTo: [String], reader: inout YAMLNodeReader)
        -> Condition?
    {
        guard let entries = reader.mapping(node, context: path, allowed: Self.conditionKeys) else { return nil }
        guard entries.count == 1, let (name, value) = entries.first else {
            reader.report(
                .invalidValue, at: node,
                "'\(path)' must hold exactly one of \(Self.conditionKeys.joined(separator: ", "))")
            return nil
        }
        let here = "\(path).\(name)"
        let formats = Set(kinds.filter { appliesTo.contains($0.name) }.map(\.format))
        func needs(_ wanted: Set<ArtifactKind.Format>, _ what: String, reader: inout YAMLNodeReader) {
            if !formats.isEmpty, formats.isDisjoint(with: wanted) {
                reader.report(.invalidValue, at: value, "'\(here)' needs \(what) artifact kind in 'applies_to'")
            }
        }
        switch name {
        case "all", "any":
            guard let sequence = value.sequence, !sequence.isEmpty else {
                reader.report(.invalidValue, at: value, "'\(here)' must be a non-empty list of conditions")
                return nil
            }
            var children: [Condition] = []
            for (index, item) in sequence.enumerated() {
                guard let child = parseCondition(item, path: "\(here)[\(index)]", appliesTo: appliesTo, reader: &reader)
                else {
                    return nil
                }
                children.append(child)
            }
            return name == "all" ? .all(children) : .any(children)
        case "not":
            return parseCondition(value, path: here, appliesTo: appliesTo, reader: &reader).map { .not($0) }
        case "log":
            return parseLog(value, path: here, reader: &reader)
        case "xpath":
            guard let expression = reader.nonEmptyString(value, here) else { return nil }
            if let problem = XMLConfig.xpathProblem(expression) {
                reader.report(.invalidXPath, at: value, "'\(here)' does not compile: \(problem)")
                return nil
            }
            needs([.xml], "an xml", reader: &reader)
            return .xpath(expression)
        case "property":
            guard
                let fields = reader.mapping(
                    value, context: here, allowed: ["key", "op", "value", "default"], required: ["key", "op"]),
                let key = reader.nonEmptyString(fields["key"], "\(here).key"),
                let comparison = parseComparison(fields, path: here, reader: &reader)
            else { return nil }
            needs([.properties], "a properties", reader: &reader)
            return .property(
                PropertyCondition(
                    key: key, op: comparison.op, value: comparison.value, defaultValue: comparison.defaultValue))
        case "directive":
            guard
                let fields = reader.mapping(
                    value, context: here, allowed: ["name", "op", "value", "default", "scope"],
                    required: ["name", "op"]),
                let directive = reader.nonEmptyString(fields["name"], "\(here).name"),
                let comparison = parseComparison(fields, path: here, reader: &reader)
            else { return nil }
            let scope =
                fields["scope"].map { reader.oneOf($0, "\(here).scope", DirectiveCondition.Scope.self) } ?? .global
            guard let scope else { return nil }
            needs([.httpd, .sshd], "an httpd or sshd", reader: &reader)
            return .directive(
                DirectiveCondition(
                    name: directive, op: comparison.op, value: comparison.value, defaultValue: comparison.defaultValue,
                    scope: scope))
        case "jvm_option":
            guard
                let fields = reader.mapping(
                    value, context: here, allowed: ["option", "op", "value"], required: ["option", "op"]),
                let option = reader.nonEmptyString(fields["option"], "\(here).option"),
                let comparison = parseComparison(fields, path: here, reader: &reader, numbersMaySize: true)
            else { return nil }
            guard JVMOptions.isKnownForm(option) else {
                reader.report(
                    .invalidValue, at: fields["option"],
                    "'\(here).option' is '\(option)'; expected -Xmx, -Xms, -Xss, -XX:Name, -Dname, -agentlib:name or -javaagent"
                )
                return nil
            }
            return .jvmOption(JVMOptionCondition(option: option, op: comparison.op, value: comparison.value))
        case "fact":
            return parseFact(value, path: here, reader: &reader)
        case "certificate":
            guard
                let fields = reader.mapping(
                    value, context: here,
                    allowed: ["expired", "expires_within", "rsa_key_below", "sha1_signature", "chain_mismatch"])
            else { return nil }
            guard fields.count == 1, let (key, node) = fields.first else {
                reader.report(
                    .invalidValue, at: value,
                    "'\(here)' must hold exactly one of expired, expires_within, rsa_key_below, sha1_signature, chain_mismatch"
                )
                return nil
            }
            needs([.certificate], "a certificate", reader: &reader)
            switch key {
            case "expires_within":
                guard let seconds = Self.duration(node.string) else {
                    reader.report(.invalidValue, at: node, "'\(here).expires_within' must be a duration such as 30d")
                    return nil
                }
                return .certificate(CertificateCondition(check: .expiresWithin(seconds)))
            case "rsa_key_below":
                guard let bits = reader.int(node, "\(here).rsa_key_below", minimum: 1) else { return nil }
                return .certificate(CertificateCondition(check: .rsaKeyBelow(bits)))
            default:
                guard reader.bool(node, "\(here).\(key)") == true else {
                    reader.report(.invalidValue, at: node, "'\(here).\(key)' must be true")
                    return nil
                }
                let check: CertificateCondition.Check =
                    switch key {
                    case "expired": .expired
                    case "chain_mismatch": .chainMismatch
                    default: .sha1Signature
                    }
                return .certificate(CertificateCondition(check: check))
            }
        case "package":
            guard
                let fields = reader.mapping(
                    value, context: here, allowed: ["name", "version_range", "fixed_in"], required: ["name"]),
                let package = reader.nonEmptyString(fields["name"], "\(here).name")
            else { return nil }
            var condition = PackageCondition(name: package)
            if let range = reader.string(fields["version_range"], "\(here).version_range") {
                if let problem = PackageCondition.rangeProblem(range) {
                    reader.report(.invalidValue, at: fields["version_range"], "'\(here).version_range': \(problem)")
                    return nil
                }
                condition.versionRange = range
            }
            if let node = fields["fixed_in"] {
                guard let fixed = reader.stringList(node, "\(here).fixed_in") else { return nil }
                condition.fixedIn = fixed
            }
            needs([.packages], "a package list", reader: &reader)
            return .package(condition)
        default:  // file
            guard
                let fields = reader.mapping(
                    value, context: here, allowed: ["glob", "present", "version", "version_range"], required: ["glob"]),
                let glob = reader.nonEmptyString(fields["glob"], "\(here).glob")
            else { return nil }
            let present = reader.bool(fields["present"], "\(here).present") ?? true
            let version = reader.string(fields["version"], "\(here).version")
            if let version {
                do {
                    let regex = try CompiledRegex(Pattern(version))
                    if !regex.groupNames.contains(where: { $0.name == "version" }) {
                        reader.report(
                            .invalidValue, at: fields["version"], "'\(here).version' needs a named group (?<version>…)")
                    }
                } catch {
                    reader.report(.invalidRegex, at: fields["version"], "'\(here).version' does not compile: \(error)")
                    return nil
                }
            }
            var range: VersionRange?
            if let text = reader.string(fields["version_range"], "\(here).version_range") {
                if let problem = VersionRange.problem(in: text) {
                    reader.report(.invalidValue, at: fields["version_range"], "'\(here).version_range': \(problem)")
                    return nil
                }
                range = VersionRange(text)
                if version == nil {
                    reader.report(.missingKey, at: value, "'\(here).version_range' needs '\(here).version'")
                }
            }
            if !appliesTo.contains(Self.uploadKind) {
                reader.report(
                    .invalidValue, at: value, "'\(here)' reads the upload's files: add 'upload' to 'applies_to'")
            }
            return .file(FileCondition(glob: glob, present: present, version: version, versionRange: range))
        }
    }

    private func parseFact(_ value: Node, path: String, reader: inout YAMLNodeReader) -> Condition? {
        guard
            let fields = reader.mapping(
                value, context: path, allowed: ["name", "version_range", "equals", "absent", "when_unknown"],
                required: ["name"]),
            let name = reader.nonEmptyString(fields["name"], "\(path).name")
        else { return nil }
        if !factNames.contains(name) {
            let known = factNames.sorted().joined(separator: ", ")
            reader.report(
                .invalidValue, at: fields["name"],
                "'\(path).name' is '\(name)', which knowledge-base.yaml does not define (facts: \(known))")
            return nil
        }
        var condition = FactCondition(name: name)
        if let text = reader.string(fields["version_range"], "\(path).version_range") {
            guard let range = VersionRange(text) else {
                let problem = VersionRange.problem(in: text) ?? "not a version range"
                reader.report(.invalidValue, at: fields["version_range"], "'\(path).version_range': \(problem)")
                return nil
            }
            condition.versionRange = range
        }
        condition.equals = reader.string(fields["equals"], "\(path).equals")
        condition.absent = reader.bool(fields["absent"], "\(path).absent") ?? false
        if let node = fields["when_unknown"] {
            guard let policy = reader.oneOf(node, "\(path).when_unknown", FactCondition.WhenUnknown.self) else {
                return nil
            }
            condition.whenUnknown = policy
        }
        if condition.absent, condition.versionRange != nil || condition.equals != nil {
            reader.report(
                .invalidValue, at: value, "'\(path)': 'absent' excludes 'version_range' and 'equals'")
            return nil
        }
        return .fact(condition)
    }

    private func parseLog(_ value: Node, path: String, reader: inout YAMLNodeReader) -> Condition? {
        guard
            let log = reader.mapping(
                value, context: path,
                allowed: [
                    "regex", "ignore_case", "min_count", "within", "capture", "above", "below", "followed_by", "recent",
                ],
                required: ["regex"]),
            let regex = reader.nonEmptyString(log["regex"], "\(path).regex")
        else { return nil }
        reportEscapes(log["regex"], "\(path).regex", reader: &reader)
        let ignoreCase = reader.bool(log["ignore_case"], "\(path).ignore_case") ?? false
        let minCount = reader.int(log["min_count"], "\(path).min_count", minimum: 1) ?? 1
        let compiled: CompiledRegex
        do {
            compiled = try CompiledRegex(Pattern(regex, caseInsensitive: ignoreCase))
        } catch {
            reader.report(.invalidRegex, at: log["regex"], "'\(path).regex' does not compile: \(error)")
            return nil
        }
        var condition = LogCondition(regex: regex, ignoreCase: ignoreCase, minCount: minCount)
        if let node = log["within"] {
            guard let seconds = Self.duration(node.string) else {
                reader.report(.invalidValue, at: node, "'\(path).within' must be a duration such as 90s, 10m, 2h or 1d")
                return nil
            }
            condition.within = seconds
        }
        if let node = log["recent"] {
            guard let seconds = Self.duration(node.string) else {
                reader.report(.invalidValue, at: node, "'\(path).recent' must be a duration such as 90s, 10m, 2h or 1d")
                return nil
            }
            condition.recent = seconds
        }
        if let node = log["capture"], let capture = reader.nonEmptyString(node, "\(path).capture") {
            if !compiled.groupNames.contains(where: { $0.name == capture }) {
                reader.report(
                    .invalidValue, at: node,
                    "'\(path).capture' names '\(capture)', which is not a named group of the regex")
                return nil
            }
            condition.capture = capture
        }
        for key in ["above", "below"] {
            guard let node = log[key] else { continue }
            guard let number = node.string.flatMap(Double.init) else {
                reader.report(.invalidValue, at: node, "'\(path).\(key)' must be a number")
                return nil
            }
            if key == "above" { condition.above = number } else { condition.below = number }
            if condition.capture == nil {
                reader.report(.missingKey, at: node, "'\(path).\(key)' needs '\(path).capture'")
                return nil
            }
        }
        if let node = log["followed_by"] {
            guard
                let follow = reader.mapping(
                    node, context: "\(path).followed_by", allowed: ["regex", "within"], required: ["regex"]),
                let next = reader.nonEmptyString(follow["regex"], "\(path).followed_by.regex")
            else { return nil }
            reportEscapes(follow["regex"], "\(path).followed_by.regex", reader: &reader)
            do { _ = try CompiledRegex(Pattern(next, caseInsensitive: ignoreCase)) } catch {
                reader.report(
                    .invalidRegex, at: follow["regex"], "'\(path).followed_by.regex' does not compile: \(error)")
                return nil
            }
            var within: TimeInterval?
            if let withinNode = follow["within"] {
                guard let seconds = Self.duration(withinNode.string) else {
                    reader.report(
                        .invalidValue, at: withinNode, "'\(path).followed_by.within' must be a duration such as 5m")
                    return nil
                }
                within = seconds
            }
            condition.followedBy = LogCondition.FollowUp(regex: next, within: within)
        }
        return .log(condition)
    }

    /// An operator with its value and default, checked: numeric operators need numbers (or sizes).
    private func parseComparison(
        _ fields: [String: Node], path: String, reader: inout YAMLNodeReader, numbersMaySize: Bool = false
    ) -> (op: ComparisonOperator, value: String?, defaultValue: String?)? {
        guard let op = reader.oneOf(fields["op"], "\(path).op", ComparisonOperator.self) else { return nil }
        let compared = reader.string(fields["value"], "\(path).value")
        let defaultValue = reader.string(fields["default"], "\(path).default")
        if op.needsValue, compared == nil {
            reader.report(.missingKey, at: fields["op"], "'\(path).op' \(op.rawValue) needs '\(path).value'")
            return nil
        }
        if op.isNumeric, let compared {
            let number = numbersMaySize ? JVMOptions.number(compared) : Double(compared)
            if number == nil {
                reader.report(.invalidValue, at: fields["value"], "'\(path).value' must be a number for \(op.rawValue)")
                return nil
            }
        }
        if op == .matches, let compared {
            do { _ = try CompiledRegex(Pattern(compared)) } catch {
                reader.report(.invalidRegex, at: fields["value"], "'\(path).value' does not compile: \(error)")
                return nil
            }
        }
        return (op, compared, defaultValue)
    }

    /// Seconds in `90s`, `10m`, `2h`, `1d` (a bare number is seconds).
    static func duration(_ text: String?) -> TimeInterval? {
        guard var text = text?.trimmingWhitespace(), !text.isEmpty else { return nil }
        var unit: TimeInterval = 1
        if let last = text.last, last.isLetter {
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            text.removeLast()
        }
        guard let value = Double(text), value > 0 else { return nil }
        return value * unit
    }

    private func parseReferences(_ node: Node?, reader: inout YAMLNodeReader) -> [Reference] {
        guard let node else { return [] }
        guard let sequence = node.sequence else {
            reader.report(.invalidValue, at: node, "'references' must be a list")
            return []
        }
        var references: [Reference] = []
        for item in sequence {
            guard let entry = reader.mapping(item, context: "references[]", allowed: ["article", "cve", "url", "case"])
            else {
                continue
            }
            guard entry.count == 1, let (type, valueNode) = entry.first,
                let value = reader.nonEmptyString(valueNode, "references[].\(type)")
            else {
                reader.report(.invalidValue, at: item, "each reference has exactly one of article, cve, url, case")
                continue
            }
            switch type {
            case "article": references.append(.article(value))
            case "cve":
                if value.range(of: #"^CVE-\d{4}-\d{4,}$"#, options: .regularExpression) == nil {
                    reader.report(.invalidValue, at: valueNode, "'\(value)' is not a CVE id (CVE-YYYY-NNNN)")
                }
                references.append(.cve(value))
            case "url":
                if !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                    reader.report(.invalidValue, at: valueNode, "'\(value)' is not an http(s) address")
                }
                references.append(.url(value))
            default:
                if value.range(of: #"^C\d{7}$"#, options: .regularExpression) == nil {
                    reader.report(.invalidValue, at: valueNode, "'\(value)' is not a case number (C and 7 digits)")
                }
                references.append(.supportCase(value))
            }
        }
        return references
    }

    private func parseExamples(
        _ node: Node?, appliesTo: [String], reader: inout YAMLNodeReader
    ) -> (triggering: [RuleExample], nonTriggering: [RuleExample]) {
        guard let node,
            let entries = reader.mapping(node, context: "examples", allowed: ["triggering", "non_triggering"])
        else { return ([], []) }
        let locator = ArtifactLocator(kinds: kinds)
        func list(_ key: String, reader: inout YAMLNodeReader) -> [RuleExample] {
            guard let listNode = entries[key] else { return [] }
            guard let sequence = listNode.sequence else {
                reader.report(.invalidValue, at: listNode, "'examples.\(key)' must be a list")
                return []
            }
            var examples: [RuleExample] = []
            for item in sequence {
                guard
                    let example = reader.mapping(
                        item, context: "examples.\(key)[]", allowed: ["artifact", "content", "artifacts"])
                else { continue }
                var fileNodes: [Node] = []
                if let many = example["artifacts"] {
                    guard let list = many.sequence, !list.isEmpty, example["artifact"] == nil, example["content"] == nil
                    else {
                        reader.report(
                            .invalidValue, at: many,
                            "'examples.\(key)[].artifacts' must be a non-empty list, without 'artifact' and 'content' beside it"
                        )
                        continue
                    }
                    fileNodes = Array(list)
                } else {
                    fileNodes = [item]
                }
                var files: [RuleExample.File] = []
                for fileNode in fileNodes {
                    guard
                        let file = reader.mapping(
                            fileNode, context: "examples.\(key)[]", allowed: ["artifact", "content"],
                            required: ["artifact", "content"]),
                        let artifact = reader.nonEmptyString(file["artifact"], "examples.\(key)[].artifact"),
                        let content = reader.string(file["content"], "examples.\(key)[].content")
                    else { continue }
                    let kind = locator.kind(for: artifact)?.name
                    let readable = appliesTo.contains(Self.uploadKind) || kind.map(appliesTo.contains) ?? false
                    if !appliesTo.isEmpty, !readable {
                        reader.report(
                            .exampleArtifactKind, at: file["artifact"],
                            "example artifact '\(artifact)' is of kind '\(kind ?? "none")', not one of \(appliesTo.joined(separator: ", "))"
                        )
                    }
                    var firstLine: Int?
                    if let node = file["content"], case let .scalar(scalar) = node, scalar.style == .literal,
                        let mark = node.mark
                    {
                        firstLine = mark.line + 1
                    }
                    let parsed = RuleExample.File(artifact: artifact, markedContent: content, firstLine: firstLine)
                    reportMarkers(parsed, at: file["content"], triggering: key == "triggering", reader: &reader)
                    files.append(parsed)
                }
                if !files.isEmpty { examples.append(RuleExample(files: files, fileLine: item.mark?.line ?? 0)) }
            }
            return examples
        }
        return (list("triggering", reader: &reader), list("non_triggering", reader: &reader))
    }
}
