import Testing

@testable import StreamMatch

/// The survey of a search's first large block re-plans the filter on what the input holds.
struct SurveyTests {
    @Test func theGroupRareInTheInputIsTrackedAfterTheSurvey() throws {
        let set = try PatternSet([Pattern("Receiving block .* from peer failed")])
        let groups = set.requirements[0].groups.map { String(decoding: $0[0], as: UTF8.self) }
        // Without input, the longest literal looks most selective.
        #expect(groups[set.defaultPlan.tracked[0][0]] == "Receiving block ")
        // In this input it is on every line, and " from peer failed" on one.
        var input = Array(String(repeating: "Receiving block blk_1 from 10.0.0.1\n", count: 20_000).utf8)
        input += Array("Receiving block blk_2 from peer failed\n".utf8)
        var searcher = LineSearcher(matcher: set.makeSession(firstMatchPerLine: false, surveyMinimum: 64 << 10))
        let sink = RecordingSink()
        input.withUnsafeBytes { searcher.feed($0, to: sink) }
        searcher.finish(to: sink)
        #expect(sink.hits.map(\.line) == [20_001])
        #expect(searcher.matcher.isReplanned)
        #expect(groups[searcher.matcher.plan.tracked[0][0]] == " from peer failed")
    }

    @Test func smallInputsKeepTheDefaultPlan() throws {
        let set = try PatternSet([Pattern("Receiving block .* from peer failed")])
        var searcher = LineSearcher(matcher: set.makeSession())
        let sink = RecordingSink()
        Array("Receiving block blk_2 from peer failed\n".utf8).withUnsafeBytes { searcher.feed($0, to: sink) }
        #expect(sink.hits.count == 1)
        #expect(!searcher.matcher.isReplanned)
    }
}
