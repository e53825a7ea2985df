import StreamMatch

/// A knowledge base compiled for scanning: every rule's condition tree with numbered leaves and, per
/// artifact kind, one pattern set of all the line patterns that read it, and the config leaves to
/// evaluate on it.
///
/// Immutable and `Sendable`: compile once, scan many.
public final class CompiledKnowledgeBase: Sendable {
    /// A rule's condition with its leaves numbered (indexes into `leaves`).
    indirect enum Tree: Sendable {
        case leaf(Int)
        case all([Tree])
        case any([Tree])
        case not(Tree)
    }

    /// A condition at a leaf of a rule's tree.
    struct Leaf: Sendable {
        /// The rule's index in `rules`.
        let rule: Int
        /// The condition (never a combination).
        let condition: Condition
        /// The condition compiled.
        let compiled: CompiledCondition
        /// The kinds it reads (its rule's `applies_to`).
        let kinds: [String]
    }

    /// What a line that matches a pattern of a kind's set means.
    enum LineTarget: Sendable {
        /// A line of a `log` leaf.
        case log(Int)
        /// A line of a `log` leaf's `followed_by`.
        case followUp(Int)
        /// A line that sets the option of a `jvm_option` leaf.
        case jvmOption(Int)
        /// A line that shows a fact (an index into `facts`).
        case fact(Int)
    }

    /// What a scan does with an artifact of one kind.
    struct KindPlan: Sendable {
        /// The kind.
        let kind: ArtifactKind
        /// Pattern `i` of `patternSet` belongs to `lineTargets[i]`.
        let lineTargets: [LineTarget]
        /// All line patterns of the kind, searched in one pass; nil when there are none.
        let patternSet: PatternSet?
        /// The XPath, property and directive leaves that read the kind.
        let configLeaves: [Int]

        /// Whether the artifact's content must be kept for a parser.
        var needsContent: Bool { !configLeaves.isEmpty }
        /// Whether any rule reads the kind.
        var hasRules: Bool { patternSet != nil || needsContent }
    }

    /// The knowledge base as loaded.
    public let source: KnowledgeBase
    /// The rules, in the order of `source.rules`.
    public var rules: [Rule] { source.rules }
    /// Says what kind each entry is.
    public let locator: ArtifactLocator
    let trees: [Tree]
    let leaves: [Leaf]
    let plans: [String: KindPlan]
    /// The `file` leaves, evaluated on the upload's list of files.
    let fileLeaves: [Int]
    /// How facts are detected (`LineTarget.fact` indexes into it).
    let facts: [FactDefinition]

    init(source: KnowledgeBase, trees: [Tree], leaves: [Leaf], plans: [String: KindPlan], fileLeaves: [Int]) {
        self.facts = source.facts
        self.source = source
        self.locator = ArtifactLocator(kinds: source.kinds)
        self.trees = trees
        self.leaves = leaves
        self.plans = plans
        self.fileLeaves = fileLeaves
    }
}

/// Compiles a loaded knowledge base once into a `CompiledKnowledgeBase`.
public enum RuleCompiler {
    /// Compiles `knowledgeBase`.
    ///
    /// - Parameter knowledgeBase: A validated knowledge base.
    /// - Returns: The compiled knowledge base.
    /// - Throws: `KnowledgeBaseError.invalid` when a regular expression does not compile.
    public static func compile(_ knowledgeBase: KnowledgeBase) throws(KnowledgeBaseError) -> CompiledKnowledgeBase {
        var leaves: [CompiledKnowledgeBase.Leaf] = []
        func number(_ condition: Condition, rule: Int) throws(CompiledCondition.CompileFailure)
            -> CompiledKnowledgeBase.Tree
        {
            switch condition {
            case let .all(children):
                var trees: [CompiledKnowledgeBase.Tree] = []
                for child in children { trees.append(try number(child, rule: rule)) }
                return .all(trees)
            case let .any(children):
                var trees: [CompiledKnowledgeBase.Tree] = []
                for child in children { trees.append(try number(child, rule: rule)) }
                return .any(trees)
            case let .not(child): return .not(try number(child, rule: rule))
            default:
                guard let compiled = try CompiledCondition.compile(condition) else { return .all([]) }
                leaves.append(
                    .init(
                        rule: rule, condition: condition, compiled: compiled, kinds: knowledgeBase.rules[rule].appliesTo
                    ))
                return .leaf(leaves.count - 1)
            }
        }
        var trees: [CompiledKnowledgeBase.Tree] = []
        for index in knowledgeBase.rules.indices {
            do {
                trees.append(try number(knowledgeBase.rules[index].condition, rule: index))
            } catch {
                let rule = knowledgeBase.rules[index]
                throw .invalid([
                    Diagnostic(
                        .invalidValue, file: rule.file, line: 1, column: 1,
                        "a condition does not compile: \(error)")
                ])
            }
        }

        var plans: [String: CompiledKnowledgeBase.KindPlan] = [:]
        for kind in knowledgeBase.kinds {
            var targets: [CompiledKnowledgeBase.LineTarget] = []
            var patterns: [Pattern] = []
            var configLeaves: [Int] = []
            for (index, leaf) in leaves.enumerated() where leaf.kinds.contains(kind.name) {
                switch leaf.condition {
                case let .log(condition):
                    let own = condition.patterns
                    targets.append(.log(index))
                    if own.count > 1 { targets.append(.followUp(index)) }
                    patterns += own
                case let .jvmOption(condition):
                    targets.append(.jvmOption(index))
                    let literals = JVMOptions.literals(for: condition.option).map(Self.escaped)
                    patterns.append(Pattern(literals.joined(separator: "|")))
                case .xpath:
                    if kind.format == .xml { configLeaves.append(index) }
                case .property:
                    if kind.format == .properties { configLeaves.append(index) }
                case .directive:
                    if kind.format == .httpd || kind.format == .sshd { configLeaves.append(index) }
                case .package:
                    if kind.format == .packages { configLeaves.append(index) }
                case .certificate:
                    if kind.format == .certificate { configLeaves.append(index) }
                case .file, .fact, .all, .any, .not:
                    break
                }
            }
            for (index, fact) in knowledgeBase.facts.enumerated() where fact.kinds.contains(kind.name) {
                targets.append(.fact(index))
                patterns.append(Pattern(fact.regex, capture: "value"))
            }
            let patternSet: PatternSet?
            do {
                patternSet = patterns.isEmpty ? nil : try PatternSet(patterns)
            } catch {
                guard case let .invalid(index, _, _, _) = error else { throw .invalid([]) }
                let leafIndex: Int
                switch targets[index] {
                case let .log(leaf), let .followUp(leaf), let .jvmOption(leaf): leafIndex = leaf
                case let .fact(fact):
                    throw .invalid([
                        Diagnostic(
                            .invalidRegex, file: KnowledgeBaseLoader.manifestName, line: 1, column: 1,
                            "the regex of fact '\(knowledgeBase.facts[fact].name)' does not compile: \(error)")
                    ])
                }
                let rule = knowledgeBase.rules[leaves[leafIndex].rule]
                throw .invalid([
                    Diagnostic(.invalidRegex, file: rule.file, line: 1, column: 1, "a regex does not compile: \(error)")
                ])
            }
            plans[kind.name] = .init(
                kind: kind, lineTargets: targets, patternSet: patternSet, configLeaves: configLeaves)
        }
        let fileLeaves = leaves.indices.filter { if case .file = leaves[$0].condition { true } else { false } }
        return CompiledKnowledgeBase(
            source: knowledgeBase, trees: trees, leaves: leaves, plans: plans, fileLeaves: fileLeaves)
    }

    /// `text` with PCRE2 metacharacters escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
