extension RegexSyntax {
    /// The first unbounded repetition whose body is itself made of unbounded repetitions (`(a+)+`,
    /// `(\w*)*`, `(\w+\s*)+`, `(a|b+)+`).
    ///
    /// Such a body can split one run of text between its iterations in exponentially many ways, which a
    /// line that almost matches makes the matcher try one after the other. A body with a part that must
    /// match text of its own (`(?: \S+)*`, `(?:/[^/]*)*`) is left out: that part marks where each
    /// iteration starts. So are possessive quantifiers and atomic groups, which give nothing back.
    var nestedUnboundedRepetition: RegexSyntax? {
        switch self {
        case let .repetition(inner, repetition):
            if repetition.maximum == nil, repetition.mode != .possessive, inner.isLoose { return self }
            return inner.nestedUnboundedRepetition
        case let .group(kind, inner):
            return kind == .atomic ? nil : inner.nestedUnboundedRepetition
        case let .concatenation(nodes), let .alternation(nodes):
            return nodes.lazy.compactMap(\.nestedUnboundedRepetition).first
        case .empty, .literal, .characterClass, .anything, .assertion, .setFlags:
            return nil
        }
    }

    /// Whether the node can match text through unbounded repetitions that give back what they took,
    /// everything else in it being optional.
    private var isLoose: Bool {
        switch self {
        case let .repetition(inner, repetition):
            repetition.mode != .possessive && (repetition.maximum == nil || inner.isLoose)
        case let .group(kind, inner):
            kind != .atomic && !kind.isLookaround && inner.isLoose
        case let .alternation(nodes):
            nodes.contains { $0.isLoose }
        case let .concatenation(nodes):
            nodes.contains { $0.isLoose } && nodes.allSatisfy { $0.isLoose || $0.isOptional }
        case .empty, .literal, .characterClass, .anything, .assertion, .setFlags:
            false
        }
    }

    /// Whether the node may match the empty string without looking at the text: nothing, an assertion,
    /// flags, or a repetition that may repeat zero times.
    private var isOptional: Bool {
        switch self {
        case .empty, .assertion, .setFlags: true
        case let .repetition(inner, repetition): repetition.minimum == 0 || inner.isOptional
        case let .group(kind, inner): kind.isLookaround || inner.isOptional
        case let .concatenation(nodes): nodes.allSatisfy(\.isOptional)
        case let .alternation(nodes): nodes.contains { $0.isOptional }
        case .literal, .characterClass, .anything: false
        }
    }
}

extension Pattern {
    /// Whether the pattern has an unbounded quantifier over a body made of unbounded quantifiers
    /// (`(a+)+`, `(\w*)*`): a shape that can backtrack catastrophically on a line that almost matches.
    ///
    /// A syntactic check: it sees what the pattern's text shows (not what PCRE2 would optimise away, nor
    /// whether two classes overlap), and nothing in syntax the parser does not follow.
    public var hasNestedQuantifier: Bool {
        !isLiteral && RegexSyntax.parse(Array(source.utf8)).nestedUnboundedRepetition != nil
    }
}
