import Synchronization

/// Many patterns compiled once, to be matched against lines together.
///
/// Compiling extracts from each pattern the literals any match must contain (`LiteralRequirements`)
/// and plans a prefilter (`FilterPlan`) over the most selective literal group of every pattern. A
/// search then makes one pass over the bytes with that filter; PCRE2 (with JIT) confirms only the
/// patterns whose literals occur, only on the lines where they occur. Patterns whose literals alone
/// decide the match (plain strings, alternations of strings) need no confirmation at all. Patterns
/// with no literal of at least four bytes are confirmed on every line and listed in `unfiltered`.
///
/// Which group is "most selective" is first judged without input (long literals, few alternatives).
/// A search that sees a large block first counts, on a sample of it, how often the literals of every
/// group occur (`surveyFilter`) and how often every 4-byte window occurs, and re-plans on what it
/// measured: the rarest group of each pattern, indexed by its rarest windows.
///
/// Immutable and `Sendable`: compile it once, then share it between any number of searches, each of
/// which takes its own `Session`.
public final class PatternSet: @unchecked Sendable {
    // Safety: every stored property is written in `init` only and read afterwards.

    /// The compiled patterns, in the order given.
    public let regexes: [CompiledRegex]
    /// What each pattern requires of a line, by pattern index.
    public let requirements: [LiteralRequirements]
    /// The indexes of the patterns without a usable literal: they are confirmed on every line.
    public let unfiltered: [Int]
    /// For each pattern, the number of the group named by its `capture`, if it has one.
    public let captureGroups: [Int?]

    /// The plan used until a search has measured its input (built when first needed: a search whose
    /// first block is surveyed never needs it).
    var defaultPlan: FilterPlan {
        lazyDefaultPlan.withLock { plan in
            if let plan { return plan }
            let built = FilterPlan(requirements: requirements, tracked: usableGroups.map { Array($0.prefix(1)) })
            plan = built
            return built
        }
    }
    private let lazyDefaultPlan = Mutex<FilterPlan?>(nil)
    /// For each pattern, the requirement groups the filter can track, most selective (statically) first.
    let usableGroups: [[Int]]
    /// Every literal of every usable group, to count occurrences on a sample.
    let surveyFilter: AtomFilter?
    /// For each pattern and each of its `usableGroups`, the survey atoms of that group.
    let surveyAtoms: [[[Int]]]

    /// Blocks of at least this many bytes are surveyed (the first one a search sees).
    static let surveyMinimum = 256 << 10
    /// The most bytes surveyed.
    static let surveyLength = 1 << 20

    /// Compiles every pattern of `patterns`.
    ///
    /// - Parameter patterns: The patterns, whose indexes identify them in hits.
    /// - Throws: `PatternError.invalid` for the first pattern PCRE2 rejects.
    public init(_ patterns: [Pattern]) throws(PatternError) {
        var compiled: [CompiledRegex] = []
        compiled.reserveCapacity(patterns.count)
        for (index, pattern) in patterns.enumerated() {
            compiled.append(try CompiledRegex(pattern, index: index))
        }
        regexes = compiled
        captureGroups = zip(patterns, compiled).map { pattern, regex in
            pattern.capture.flatMap(regex.groupNumber(named:))
        }
        let requirements = patterns.map(LiteralExtractor.requirements(of:))
        self.requirements = requirements
        let usable = requirements.map { requirement in
            let scores = requirement.groups.map(FilterPlan.staticScore)
            return requirement.groups.indices.filter { FilterPlan.isUsable(requirement.groups[$0]) }.sorted {
                scores[$0] > scores[$1]
            }
        }
        usableGroups = usable
        unfiltered = usable.indices.filter { usable[$0].isEmpty }

        var table = AtomTable()
        surveyAtoms = usable.indices.map { index in
            usable[index].map { group in
                requirements[index].groups[group].map { literal in
                    table.id(of: AtomFilter.Atom(bytes: literal, caseInsensitive: requirements[index].caseInsensitive))
                }
            }
        }
        surveyFilter = table.atoms.isEmpty ? nil : AtomFilter(atoms: table.atoms)
    }

    /// The number of patterns in the set.
    public var count: Int { regexes.count }

    /// The number of distinct literals the prefilter searches for (before any survey).
    public var atomCount: Int { defaultPlan.filter?.atoms.count ?? 0 }

    /// Makes the per-search matcher for this set.
    ///
    /// - Parameters:
    ///   - firstMatchPerLine: Whether to stop at the first pattern that matches a line (enough to count
    ///     matching lines); by default every matching pattern of every line is reported.
    ///   - adaptive: Whether the search may re-plan its filter on a sample of its input.
    /// - Returns: A session; not thread-safe, one per search.
    public func makeSession(firstMatchPerLine: Bool = false, adaptive: Bool = true) -> Session {
        Session(set: self, firstMatchPerLine: firstMatchPerLine, adaptive: adaptive, surveyMinimum: Self.surveyMinimum)
    }

    /// A session that surveys the first block of at least `surveyMinimum` bytes (tests use small ones).
    func makeSession(firstMatchPerLine: Bool, surveyMinimum: Int) -> Session {
        Session(set: self, firstMatchPerLine: firstMatchPerLine, adaptive: true, surveyMinimum: surveyMinimum)
    }
}
