import Yams

/// Reads typed values out of a YAML node tree and records a `Diagnostic` for every problem, with the
/// line and column of the node at fault, so that one pass reports all problems of a file.
struct YAMLNodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// The text of a YAML file, or `unreadable` naming it.
    static func text(of path: String) throws(KnowledgeBaseError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: ReadFailure.reason(path: path))
        }
    }

    mutating func report(_ code: Diagnostic.Code, _ level: Diagnostic.Level = .error, at node: Node?, _ message: String)
    {
        let mark = node?.mark
        diagnostics.append(
            Diagnostic(code, level, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message))
    }

    mutating func report(
        _ code: Diagnostic.Code, _ level: Diagnostic.Level = .error, line: Int, column: Int, _ message: String
    ) {
        diagnostics.append(Diagnostic(code, level, file: file, line: line, column: column, message))
    }

    /// Parses `text` into a node tree, reporting a syntax error (with its place) or an empty file.
    mutating func compose(_ text: String, whatIsNeeded: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                report(.missingKey, at: nil, "the file is empty; it needs \(whatIsNeeded)")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let place = YAMLSyntaxError(context: context, problem: problem, mark: mark, text: text)
                report(.yamlSyntax, line: place.line, column: place.column, "not valid YAML: \(place.message)")
            default:
                report(.yamlSyntax, at: nil, "not valid YAML: \(error)")
            }
            return nil
        } catch {
            report(.yamlSyntax, at: nil, "not valid YAML: \(error)")
            return nil
        }
    }

    /// The entries of a mapping node, after reporting unknown keys and missing required keys.
    mutating func mapping(
        _ node: Node, context: String, allowed: [String], required: [String] = []
    ) -> [String: Node]? {
        guard let mapping = node.mapping else {
            report(.invalidValue, at: node, "'\(context)' must be a mapping")
            return nil
        }
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                report(.invalidValue, at: key, "keys of '\(context)' must be strings")
                continue
            }
            if allowed.contains(name) {
                entries[name] = value
            } else {
                let path = context.isEmpty ? name : "\(context).\(name)"
                report(.unknownKey, at: key, "unknown key '\(path)'\(Self.suggestion(for: name, among: allowed))")
            }
        }
        for name in required where entries[name] == nil {
            let path = context.isEmpty ? name : "\(context).\(name)"
            report(.missingKey, at: node, "missing required key '\(path)'")
        }
        return entries
    }

    mutating func string(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        guard case let .scalar(scalar) = node else {
            report(.invalidValue, at: node, "'\(path)' must be a string")
            return nil
        }
        return scalar.string
    }

    mutating func nonEmptyString(_ node: Node?, _ path: String) -> String? {
        guard let value = string(node, path) else { return nil }
        if value.trimmingWhitespace().isEmpty {
            report(.invalidValue, at: node, "'\(path)' must not be empty")
            return nil
        }
        return value
    }

    mutating func int(_ node: Node?, _ path: String, minimum: Int) -> Int? {
        guard let node else { return nil }
        guard let value = node.int, value >= minimum else {
            report(.invalidValue, at: node, "'\(path)' must be a whole number of at least \(minimum)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard let value = node.bool else {
            report(.invalidValue, at: node, "'\(path)' must be true or false")
            return nil
        }
        return value
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ node: Node?, _ path: String, _: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, path) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
            report(.invalidValue, at: node, "'\(path)' is '\(text)'; expected one of \(allowed)")
            return nil
        }
        return value
    }

    mutating func stringList(_ node: Node?, _ path: String) -> [String]? {
        guard let node else { return nil }
        if case .scalar = node, let single = string(node, path) { return [single] }
        guard let sequence = node.sequence else {
            report(.invalidValue, at: node, "'\(path)' must be a list of strings")
            return nil
        }
        var values: [String] = []
        for item in sequence {
            if let value = nonEmptyString(item, path) { values.append(value) }
        }
        return values
    }

    /// `; did you mean 'close'?` for the allowed name nearest to `name`, else "".
    static func suggestion(for name: String, among allowed: [String]) -> String {
        NameSuggestion.clause(for: name, among: allowed)
    }
}
