import StreamMatch

/// The `{{name}}` placeholders a rule's message may use.
///
/// They are the values its conditions really fill in when it fires; a placeholder nothing fills is
/// shown to the customer as `?`.
///
/// What each condition fills (see `RuleEvaluator` and `ScanSession`): `log` the named groups of its
/// regex; `xpath` the attributes of the first element selected, with `artifact`; `property` `key`,
/// `value`, `artifact`; `directive` `name`, `value`, `block`, `artifact`; `jvm_option` `option`,
/// `value`; `file` `path`, `artifact` (and `version` with a version regex), or `glob` when it fires on
/// absence. Every rule fills `count`. A condition under `not` fills nothing.
enum MessagePlaceholders {
    /// The names the rule's condition can fill.
    ///
    /// An element's attributes cannot be known before a scan, so for `xpath` the attributes the
    /// expression names (`@port`) and those written in the rule's XML examples count as fillable.
    ///
    /// - Parameters:
    ///   - condition: The rule's condition.
    ///   - xmlAttributes: The attribute names written in the rule's XML examples.
    /// - Returns: The names.
    static func fillable(by condition: Condition, xmlAttributes: Set<String>) -> Set<String> {
        var names: Set<String> = ["count"]
        collect(condition, into: &names, xmlAttributes: xmlAttributes)
        return names
    }

    private static func collect(_ condition: Condition, into names: inout Set<String>, xmlAttributes: Set<String>) {
        switch condition {
        case let .all(children), let .any(children):
            for child in children { collect(child, into: &names, xmlAttributes: xmlAttributes) }
        case .not:
            break  // what is absent fills nothing
        case let .log(log):
            let regex = try? CompiledRegex(Pattern(log.regex, caseInsensitive: log.ignoreCase))
            names.formUnion(regex?.groupNames.map(\.name) ?? [])
        case let .xpath(expression):
            names.formUnion(attributeNames(inXPath: expression))
            names.formUnion(xmlAttributes)
            names.insert("artifact")
        case .property:
            names.formUnion(["key", "value", "artifact"])
        case .directive:
            names.formUnion(["name", "value", "block", "artifact"])
        case .jvmOption:
            names.formUnion(["option", "value"])
        case let .file(file):
            if file.present {
                names.formUnion(["path", "artifact"])
                if file.version != nil { names.insert("version") }
            } else {
                names.insert("glob")
            }
        case let .fact(fact):
            names.insert(fact.name)
        case .package:
            names.formUnion(["package", "version", "artifact"])
        case .certificate:
            names.formUnion(["subject", "issuer", "not_after", "days", "bits", "artifact"])
        }
    }

    /// The names after `@` in an XPath expression.
    static func attributeNames(inXPath expression: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(expression)
        while let at = rest.firstIndex(of: "@") {
            let name = rest[rest.index(after: at)...].prefix(while: isNameCharacter)
            if !name.isEmpty { names.insert(String(name)) }
            rest = rest[rest.index(after: at)...]
        }
        return names
    }

    /// The attribute names written in XML text (`name="…"` or `name='…'`).
    static func attributeNames(inXML text: String) -> Set<String> {
        var names: Set<String> = []
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "=" {
            var after = index + 1
            while after < characters.count, characters[after] == " " { after += 1 }
            guard after < characters.count, characters[after] == "\"" || characters[after] == "'" else { continue }
            var end = index
            while end > 0, characters[end - 1] == " " { end -= 1 }
            var start = end
            while start > 0, isNameCharacter(characters[start - 1]) { start -= 1 }
            if start < end { names.insert(String(characters[start..<end])) }
        }
        return names
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
            || character == ":"
    }
}
