import StreamMatch

/// A knowledge base compiled for scanning: per artifact kind, one pattern set of all line rules that
/// apply to it and the config rules to evaluate. Immutable and `Sendable`: compile once, scan many.
public final class CompiledKnowledgeBase: Sendable {
    /// What a scan does with an artifact of one kind.
    struct KindPlan: Sendable {
        /// The kind.
        let kind: ArtifactKind
        /// Indexes into `rules` of the line rules; pattern `i` of `patternSet` belongs to `lineRules[i]`.
        let lineRules: [Int]
        /// All line rules of the kind, searched in one pass; nil when there are none.
        let patternSet: PatternSet?
        /// Indexes into `rules` of the XPath rules.
        let xpathRules: [Int]
        /// Indexes into `rules` of the property rules.
        let propertyRules: [Int]

        /// Whether the artifact's content must be kept for a parser.
        var needsContent: Bool { !xpathRules.isEmpty || !propertyRules.isEmpty }
        /// Whether any rule reads the kind.
        var hasRules: Bool { patternSet != nil || needsContent }
    }

    /// The knowledge base as loaded.
    public let source: KnowledgeBase
    /// The rules, in the order of `source.rules`.
    public var rules: [Rule] { source.rules }
    /// Says what kind each entry is.
    public let locator: ArtifactLocator
    let plans: [String: KindPlan]

    init(source: KnowledgeBase, plans: [String: KindPlan]) {
        self.source = source
        self.locator = ArtifactLocator(kinds: source.kinds)
        self.plans = plans
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
        var plans: [String: CompiledKnowledgeBase.KindPlan] = [:]
        for kind in knowledgeBase.kinds {
            var lineRules: [Int] = []
            var patterns: [Pattern] = []
            var xpathRules: [Int] = []
            var propertyRules: [Int] = []
            for (index, rule) in knowledgeBase.rules.enumerated() where rule.appliesTo.contains(kind.name) {
                switch rule.condition {
                case let .log(condition):
                    lineRules.append(index)
                    patterns.append(Pattern(condition.regex, caseInsensitive: condition.ignoreCase))
                case .xpath:
                    if kind.format == .xml { xpathRules.append(index) }
                case .property:
                    if kind.format == .properties { propertyRules.append(index) }
                }
            }
            let patternSet: PatternSet?
            do {
                patternSet = patterns.isEmpty ? nil : try PatternSet(patterns)
            } catch {
                guard case let .invalid(index, _, _, _) = error else { throw .invalid([]) }
                let rule = knowledgeBase.rules[lineRules[index]]
                throw .invalid([Diagnostic(.invalidRegex, file: rule.file, line: 1, column: 1, "'when.log.regex' does not compile: \(error)")])
            }
            plans[kind.name] = .init(
                kind: kind, lineRules: lineRules, patternSet: patternSet, xpathRules: xpathRules, propertyRules: propertyRules)
        }
        return CompiledKnowledgeBase(source: knowledgeBase, plans: plans)
    }
}
