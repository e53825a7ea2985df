import Dispatch
import Testing

@testable import StreamMatch

/// PCRE2 within a budget: a long line that overflows the default JIT stack is still matched, and a
/// pattern that backtracks catastrophically ends in bounded time as `.overBudget`, never as a silent
/// no-match.
struct RegexBudgetTests {
    /// A line that remembers one backtracking point per character overflows the JIT's default 32 KiB
    /// stack; `grep -c -P '^(?:(a)|b)*$'` counts it, and so must the matcher.
    @Test(arguments: [1000, 200_000, 1 << 20])
    func aLongLineThatOverflowsTheDefaultJITStackStillMatches(length: Int) throws {
        let regex = try CompiledRegex(Pattern("^(?:(a)|b)*$"))
        let state = try #require(regex.makeMatchState())
        let line = (0..<length).map { $0 % 3 == 0 ? UInt8(ascii: "b") : UInt8(ascii: "a") }
        #expect(line.withUnsafeBytes { regex.matches($0, state: state) })
        #expect(state.outcome == .matched)
        let almost = line + [UInt8(ascii: "c")]
        #expect(!almost.withUnsafeBytes { regex.matches($0, state: state) })
        #expect(state.outcome == .noMatch)
    }

    /// `(a+)+$` on a 50,000-character line that almost matches backtracks exponentially: the match limit
    /// ends it within a second, as over budget.
    @Test func aCatastrophicPatternEndsOverBudgetInBoundedTime() throws {
        let regex = try CompiledRegex(Pattern("(a+)+$"))
        let state = try #require(regex.makeMatchState())
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 50_000) + [UInt8(ascii: "!")]
        let started = DispatchTime.now().uptimeNanoseconds
        #expect(!line.withUnsafeBytes { regex.matches($0, state: state) })
        #expect(state.outcome == .overBudget)
        #expect(DispatchTime.now().uptimeNanoseconds - started < 2_000_000_000)
    }

    /// In a search, each undecided line reaches the sink as over budget, with its line number, and the
    /// other patterns of the set match as usual; past `Budget.overBudgetLines` lines the pattern is
    /// tried with a small budget, which keeps the search fast and still decides the ordinary lines.
    @Test func aSearchReportsOverBudgetLinesAndGoesOnWithTheOtherPatterns() throws {
        final class Sink: MatchSink {
            var matched: [(pattern: Int, line: Int)] = []
            var overBudget: [(pattern: Int, line: Int)] = []
            func matched(_ match: LineMatch) -> SinkAction {
                matched.append((match.pattern, match.lineNumber))
                return .continue
            }
            func patternOverBudget(_ pattern: Int, lineNumber: Int, byteOffset: Int) {
                overBudget.append((pattern, lineNumber))
            }
        }
        let set = try PatternSet([Pattern("x(a+)+$"), Pattern("OutOfMemoryError")])
        let hostile = "x" + String(repeating: "a", count: 30_000) + "!\n"
        let text = "OutOfMemoryError first\n" + String(repeating: hostile, count: 40) + "OutOfMemoryError last\n"
        let sink = Sink()
        var searcher = LineSearcher(matcher: set.makeSession())
        let started = DispatchTime.now().uptimeNanoseconds
        Array(text.utf8).withUnsafeBytes { searcher.feed($0, to: sink) }
        searcher.finish(to: sink)
        #expect(DispatchTime.now().uptimeNanoseconds - started < 20_000_000_000)
        #expect(sink.matched.map(\.line) == [1, 42])
        #expect(sink.matched.allSatisfy { $0.pattern == 1 })
        #expect(sink.overBudget.map(\.line) == Array(2...41))
        #expect(sink.overBudget.allSatisfy { $0.pattern == 0 })
    }

    /// The shapes `rules lint` warns about (KB022), and look-alikes it leaves alone: a body with a part
    /// of its own to match (the three last come from the knowledge base) marks where each iteration starts.
    @Test(arguments: [
        ("(a+)+$", true), (#"(\w*)*x"#, true), (#"timeout after (\w+\s*)+ms"#, true), ("(?:x+y?)*z", true),
        ("(a|b+)+", true), ("(a+)+?", true), ("((a+)?)+", true), ("((ab)+c)*", false), ("(a++)+", false),
        ("(?>a+)+", false), ("(a+)*+", false), ("(ab)+", false), ("a+b+", false), ("(a{1,5})+", false),
        ("(a+){2}", false), (#"\(a+\)+"#, false), (#"Bootstrap(?: \S+)* stop"#, false),
        (#"\[always\](?:\s+(?:madvise|never))*\s*$"#, false), (#"(?:/[^/" ]*)*/\.env"#, false),
    ])
    func nestedQuantifiersAreSeenInThePatternText(source: String, nested: Bool) {
        #expect(Pattern(source).hasNestedQuantifier == nested)
    }
}
