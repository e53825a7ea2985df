import Foundation
import StreamMatch
import Yams

/// Loads a knowledge-base folder: `knowledge-base.yaml` (version and artifact kinds) and one rule file
/// per known issue in any folder below it, validated strictly.
///
/// Every problem of every file is collected as a `Diagnostic` before the load fails, so a maintainer
/// sees them all at once.
public struct KnowledgeBaseLoader {
    /// The name of the file that holds the version and the artifact kinds.
    public static let manifestName = "knowledge-base.yaml"
    /// Files of the knowledge-base folder that are not rules.
    public static let reservedNames: Set<String> = [manifestName, SupportPolicy.fileName]

    /// Creates a loader.
    public init() {}

    /// The result of a load: the knowledge base, if usable, and every diagnostic met.
    public struct Outcome: Sendable {
        /// The knowledge base without the rule files that have errors (listed in its
        /// `skippedRuleFiles`); nil when `knowledge-base.yaml` itself has errors.
        public var knowledgeBase: KnowledgeBase?
        /// Errors and warnings, in file order.
        public var diagnostics: [Diagnostic]
    }

    /// Loads and validates the knowledge base in `directory`.
    ///
    /// A rule file with an error is either fatal (the default, for maintainers and `--strict`) or left
    /// out, listed in the knowledge base's `skippedRuleFiles`, so that one bad file does not stop every
    /// scan. Errors in `knowledge-base.yaml` are always fatal.
    ///
    /// - Parameters:
    ///   - directory: The knowledge-base folder.
    ///   - skippingBadRuleFiles: Whether to leave out rule files with errors instead of failing.
    /// - Returns: The knowledge base.
    /// - Throws: `KnowledgeBaseError` naming the files, keys and problems.
    public func load(directory: String, skippingBadRuleFiles: Bool = false) throws(KnowledgeBaseError)
        -> KnowledgeBase
    {
        let outcome = try inspect(directory: directory)
        guard let knowledgeBase = outcome.knowledgeBase, skippingBadRuleFiles || knowledgeBase.skippedRuleFiles.isEmpty
        else { throw .invalid(outcome.diagnostics) }
        return knowledgeBase
    }

    /// Loads and validates the knowledge base in `directory`, returning every diagnostic.
    ///
    /// - Parameter directory: The knowledge-base folder.
    /// - Returns: The knowledge base (without the rule files that have errors) and the diagnostics; when
    ///   the manifest has errors, no knowledge base and only the manifest's diagnostics.
    /// - Throws: `KnowledgeBaseError.notFound` or `.unreadable` when the folder cannot be read at all.
    public func inspect(directory: String) throws(KnowledgeBaseError) -> Outcome {
        let manifestPath = (directory as NSString).appendingPathComponent(Self.manifestName)
        guard FileManager.default.fileExists(atPath: manifestPath) else { throw .notFound(path: directory) }
        var diagnostics: [Diagnostic] = []
        let manifest = try readManifest(manifestPath, diagnostics: &diagnostics)
        // Rule files are not checked against a broken manifest: every kind they name would be unknown.
        guard !diagnostics.contains(where: { $0.level == .error }) else {
            return Outcome(knowledgeBase: nil, diagnostics: diagnostics)
        }

        var parsed: [(file: String, rule: Rule?)] = []
        var seen: [String: String] = [:]
        var digest = KnowledgeBaseDigest()
        digest.addKinds(manifest.kinds)
        for file in ruleFiles(in: directory) {
            let text = try YAMLNodeReader.text(of: file)
            digest.addRuleFile(path: String(file.dropFirst(directory.count).drop { $0 == "/" }), text: text)
            var reader = YAMLNodeReader(file: file)
            let parser = RuleParser(kinds: manifest.kinds, factNames: Set(manifest.facts.map(\.name)))
            let rule = parser.parse(text, reader: &reader)
            diagnostics += reader.diagnostics
            if let rule, let other = seen[rule.id] {
                diagnostics.append(
                    Diagnostic(
                        .duplicateId, file: file, line: 1, column: 1,
                        "rule id '\(rule.id)' is also used by \(other), which is kept"))
            } else if let rule {
                seen[rule.id] = file
            }
            parsed.append((file, rule))
        }
        let errorsByFile = Dictionary(grouping: diagnostics.filter { $0.level == .error }, by: \.file)
        var rules: [Rule] = []
        var skipped: [KnowledgeBase.SkippedRuleFile] = []
        for (file, rule) in parsed {
            if let errors = errorsByFile[file] {
                skipped.append(.init(path: file, errors: errors))
            } else if let rule {
                rules.append(rule)
            }
        }
        var knowledgeBase = KnowledgeBase(
            version: manifest.version, name: manifest.name, kinds: manifest.kinds, rules: rules, directory: directory)
        knowledgeBase.skippedRuleFiles = skipped
        knowledgeBase.digest = digest.finalize()
        knowledgeBase.recordedDigest = manifest.rulesDigest
        knowledgeBase.facts = manifest.facts
        return Outcome(knowledgeBase: knowledgeBase, diagnostics: diagnostics)
    }

    /// The rule files below `directory`: every `.yaml`/`.yml` file but the manifest, sorted by path.
    ///
    /// - Parameter directory: The knowledge-base folder.
    /// - Returns: Their paths.
    public func ruleFiles(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml"), !Self.reservedNames.contains(relative)
            else {
                continue
            }
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }

    private struct Manifest {
        var version: String
        var name: String
        var kinds: [ArtifactKind]
        var facts: [FactDefinition] = []
        var rulesDigest: String?
    }

    private func readManifest(_ path: String, diagnostics: inout [Diagnostic]) throws(KnowledgeBaseError) -> Manifest {
        let text = try YAMLNodeReader.text(of: path)
        var reader = YAMLNodeReader(file: path)
        defer { diagnostics += reader.diagnostics }
        var manifest = Manifest(version: "unversioned", name: "knowledge base", kinds: [], rulesDigest: nil)
        guard let root = reader.compose(text, whatIsNeeded: "'version' and 'kinds'") else { return manifest }
        guard
            let entries = reader.mapping(
                root, context: "", allowed: ["version", "name", "kinds", "facts", "rules_digest"],
                required: ["version", "kinds"])
        else { return manifest }
        manifest.version = reader.nonEmptyString(entries["version"], "version") ?? manifest.version
        manifest.name = reader.nonEmptyString(entries["name"], "name") ?? manifest.name
        manifest.rulesDigest = reader.nonEmptyString(entries["rules_digest"], "rules_digest")
        guard let kindsNode = entries["kinds"], let sequence = kindsNode.sequence else {
            if let node = entries["kinds"] { reader.report(.invalidValue, at: node, "'kinds' must be a list") }
            return manifest
        }
        var names: Set<String> = []
        for item in sequence {
            guard
                let kind = reader.mapping(
                    item, context: "kinds[]", allowed: ["name", "format", "paths"],
                    required: ["name", "format", "paths"]),
                let name = reader.nonEmptyString(kind["name"], "kinds[].name"),
                let format = reader.oneOf(kind["format"], "kinds[].format", ArtifactKind.Format.self),
                let paths = reader.stringList(kind["paths"], "kinds[].paths")
            else { continue }
            if !names.insert(name).inserted {
                reader.report(.duplicateId, at: item, "artifact kind '\(name)' is defined twice")
                continue
            }
            manifest.kinds.append(ArtifactKind(name: name, format: format, paths: paths))
        }
        if let factsNode = entries["facts"] {
            manifest.facts = readFacts(factsNode, kinds: Set(names), reader: &reader)
        }
        return manifest
    }

    /// The `facts:` list: each a name, the kinds read, a regex with a group `value`, a description.
    private func readFacts(_ node: Node, kinds: Set<String>, reader: inout YAMLNodeReader) -> [FactDefinition] {
        guard let sequence = node.sequence else {
            reader.report(.invalidValue, at: node, "'facts' must be a list")
            return []
        }
        var facts: [FactDefinition] = []
        for item in sequence {
            guard
                let fact = reader.mapping(
                    item, context: "facts[]", allowed: ["name", "kinds", "regex", "description"],
                    required: ["name", "kinds", "regex", "description"]),
                let name = reader.nonEmptyString(fact["name"], "facts[].name"),
                let factKinds = reader.stringList(fact["kinds"], "facts[].kinds"),
                let regex = reader.nonEmptyString(fact["regex"], "facts[].regex"),
                let description = reader.nonEmptyString(fact["description"], "facts[].description")
            else { continue }
            for kind in factKinds where !kinds.contains(kind) {
                reader.report(
                    .unknownArtifactKind, at: fact["kinds"], "fact '\(name)' reads the unknown kind '\(kind)'")
            }
            do {
                let compiled = try CompiledRegex(Pattern(regex))
                guard compiled.groupNames.contains(where: { $0.name == "value" }) else {
                    reader.report(
                        .invalidValue, at: fact["regex"], "fact '\(name)': the regex needs a group (?<value>…)")
                    continue
                }
            } catch {
                reader.report(.invalidRegex, at: fact["regex"], "fact '\(name)': the regex does not compile: \(error)")
                continue
            }
            facts.append(FactDefinition(name: name, kinds: factKinds, regex: regex, description: description))
        }
        return facts
    }
}
