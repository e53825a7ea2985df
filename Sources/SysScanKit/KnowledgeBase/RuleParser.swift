import Foundation
import StreamMatch
import Yams

/// Turns the text of one rule file into a `Rule`, reporting every problem to a `YAMLNodeReader`.
struct RuleParser {
    let kinds: [ArtifactKind]

    static let topLevelKeys = [
        "id", "title", "category", "severity", "status", "replaced_by", "applies_to", "when", "message",
        "recommendation", "references", "examples",
    ]
    static let requiredKeys = ["id", "title", "category", "severity", "applies_to", "when", "message", "recommendation"]

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
        let severity = reader.oneOf(entries["severity"], "severity", Severity.self)
        let status = entries["status"].map { reader.oneOf($0, "status", Rule.Status.self) } ?? .stable
        let replacedBy = reader.string(entries["replaced_by"], "replaced_by")
        if status == .deprecated, replacedBy == nil {
            reader.report(.deprecatedWithoutReplacement, .warning, at: entries["status"], "a deprecated rule should name its successor in 'replaced_by'")
        }
        let appliesTo = reader.stringList(entries["applies_to"], "applies_to") ?? []
        if let node = entries["applies_to"] {
            if appliesTo.isEmpty { reader.report(.invalidValue, at: node, "'applies_to' must name at least one artifact kind") }
            let known = Set(kinds.map(\.name))
            for kind in appliesTo where !known.contains(kind) {
                reader.report(
                    .unknownArtifactKind, at: node,
                    "'applies_to' names the unknown artifact kind '\(kind)' (kinds are defined in knowledge-base.yaml)")
            }
        }
        let condition = entries["when"].flatMap { parseCondition($0, appliesTo: appliesTo, reader: &reader) }
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

        guard let id, let title, let category, let severity, let status, let condition, let message, let recommendation
        else { return nil }
        return Rule(
            id: id, title: title, category: category, severity: severity, status: status, replacedBy: replacedBy,
            appliesTo: appliesTo, condition: condition, message: message, recommendation: recommendation,
            references: references, triggeringExamples: triggering, nonTriggeringExamples: nonTriggering,
            file: reader.file)
    }

    private func parseCondition(_ node: Node, appliesTo: [String], reader: inout YAMLNodeReader) -> Condition? {
        guard let entries = reader.mapping(node, context: "when", allowed: ["log", "xpath", "property"]) else { return nil }
        guard entries.count == 1, let (name, value) = entries.first else {
            reader.report(.invalidValue, at: node, "'when' must hold exactly one of log, xpath, property")
            return nil
        }
        let formats = Set(kinds.filter { appliesTo.contains($0.name) }.map(\.format))
        switch name {
        case "log":
            guard let log = reader.mapping(value, context: "when.log", allowed: ["regex", "ignore_case", "min_count"], required: ["regex"]),
                let regex = reader.nonEmptyString(log["regex"], "when.log.regex")
            else { return nil }
            let ignoreCase = reader.bool(log["ignore_case"], "when.log.ignore_case") ?? false
            let minCount = reader.int(log["min_count"], "when.log.min_count", minimum: 1) ?? 1
            do {
                _ = try CompiledRegex(Pattern(regex, caseInsensitive: ignoreCase))
            } catch {
                reader.report(.invalidRegex, at: log["regex"], "'when.log.regex' does not compile: \(error)")
                return nil
            }
            return .log(LogCondition(regex: regex, ignoreCase: ignoreCase, minCount: minCount))
        case "xpath":
            guard let expression = reader.nonEmptyString(value, "when.xpath") else { return nil }
            if let problem = XMLConfig.xpathProblem(expression) {
                reader.report(.invalidXPath, at: value, "'when.xpath' does not compile: \(problem)")
                return nil
            }
            if !formats.isEmpty, !formats.contains(.xml) {
                reader.report(.invalidValue, at: value, "'when.xpath' needs an xml artifact kind in 'applies_to'")
            }
            return .xpath(expression)
        default:
            guard
                let property = reader.mapping(
                    value, context: "when.property", allowed: ["key", "op", "value", "default"], required: ["key", "op"]),
                let key = reader.nonEmptyString(property["key"], "when.property.key"),
                let op = reader.oneOf(property["op"], "when.property.op", PropertyCondition.Operator.self)
            else { return nil }
            let compared = reader.string(property["value"], "when.property.value")
            let defaultValue = reader.string(property["default"], "when.property.default")
            if op.needsValue, compared == nil {
                reader.report(.missingKey, at: value, "'when.property.op' \(op.rawValue) needs 'when.property.value'")
                return nil
            }
            if op.isNumeric, let compared, Double(compared) == nil {
                reader.report(.invalidValue, at: property["value"], "'when.property.value' must be a number for \(op.rawValue)")
                return nil
            }
            if op == .matches, let compared {
                do { _ = try CompiledRegex(Pattern(compared)) } catch {
                    reader.report(.invalidRegex, at: property["value"], "'when.property.value' does not compile: \(error)")
                    return nil
                }
            }
            if !formats.isEmpty, !formats.contains(.properties) {
                reader.report(.invalidValue, at: value, "'when.property' needs a properties artifact kind in 'applies_to'")
            }
            return .property(PropertyCondition(key: key, op: op, value: compared, defaultValue: defaultValue))
        }
    }

    private func parseReferences(_ node: Node?, reader: inout YAMLNodeReader) -> [Reference] {
        guard let node else { return [] }
        guard let sequence = node.sequence else {
            reader.report(.invalidValue, at: node, "'references' must be a list")
            return []
        }
        var references: [Reference] = []
        for item in sequence {
            guard let entry = reader.mapping(item, context: "references[]", allowed: ["article", "cve", "url", "case"]) else {
                continue
            }
            guard entry.count == 1, let (type, valueNode) = entry.first, let value = reader.nonEmptyString(valueNode, "references[].\(type)")
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
                        item, context: "examples.\(key)[]", allowed: ["artifact", "content"], required: ["artifact", "content"]),
                    let artifact = reader.nonEmptyString(example["artifact"], "examples.\(key)[].artifact"),
                    let content = reader.string(example["content"], "examples.\(key)[].content")
                else { continue }
                let kind = locator.kind(for: artifact)?.name
                if !appliesTo.isEmpty, kind.map({ !appliesTo.contains($0) }) ?? true {
                    reader.report(
                        .exampleArtifactKind, at: example["artifact"],
                        "example artifact '\(artifact)' is of kind '\(kind ?? "none")', not one of \(appliesTo.joined(separator: ", "))")
                }
                examples.append(RuleExample(artifact: artifact, markedContent: content, fileLine: item.mark?.line ?? 0))
            }
            return examples
        }
        return (list("triggering", reader: &reader), list("non_triggering", reader: &reader))
    }
}
