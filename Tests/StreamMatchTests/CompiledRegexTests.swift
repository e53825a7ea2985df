import Dispatch
import Synchronization
import Testing

@testable import StreamMatch

/// Compiling and matching one PCRE2 pattern.
struct CompiledRegexTests {
    @Test func namedCapturesAreReturnedByName() throws {
        let regex = try CompiledRegex(Pattern(#"Pause Full \((?<cause>[^)]+)\) .* (?<ms>\d+\.\d+)ms"#))
        let state = try #require(regex.makeMatchState())
        let line = Array("[12.3s][info][gc] GC(7) Pause Full (Allocation Failure) 120M->80M(128M) 1234.567ms".utf8)
        let captures = line.withUnsafeBytes { regex.namedCaptures(in: $0, state: state) }
        #expect(captures == ["cause": "Allocation Failure", "ms": "1234.567"])
    }

    @Test func anInvalidPatternNamesItselfAndTheProblem() {
        #expect {
            try PatternSet([Pattern("fine"), Pattern("broken(")])
        } throws: { error in
            guard let error = error as? PatternError, case let .invalid(index, pattern, _, reason) = error else {
                return false
            }
            return index == 1 && pattern == "broken(" && reason.contains("parenthesis")
        }
    }

    @Test func literalPatternsAreNotRegexes() throws {
        let regex = try CompiledRegex(Pattern("a.b(", isLiteral: true))
        let state = try #require(regex.makeMatchState())
        #expect(Array("xa.b(y".utf8).withUnsafeBytes { regex.matches($0, state: state) })
        #expect(!Array("axb(".utf8).withUnsafeBytes { regex.matches($0, state: state) })
    }

    /// A regex compiles to machine code the first time it is matched, whichever thread comes first.
    @Test func theFirstMatchesFromManyThreadsAtOnceAllSucceed() throws {
        let regexes = try (0..<50).map { try CompiledRegex(Pattern(#"block blk_\d+ of size (\d+) from "# + "\($0)")) }
        let line = Array("Receiving block blk_42 of size 67108864 from 7".utf8)
        let results = Mutex([[Bool]](repeating: [], count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var found: [Bool] = []
            for regex in regexes {
                guard let state = regex.makeMatchState() else { continue }
                found.append(line.withUnsafeBytes { regex.matches($0, state: state) })
            }
            results.withLock { $0[thread] = found }
        }
        let expected = (0..<50).map { $0 == 7 }
        #expect(results.withLock { $0.allSatisfy { $0 == expected } })
    }
}
