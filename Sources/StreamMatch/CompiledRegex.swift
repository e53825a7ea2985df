import CPCRE2
import Synchronization

/// A PCRE2 regular expression compiled once (with JIT where available), matched against bytes.
///
/// The compiled code is shared; matching needs a `CompiledRegex.MatchState` per thread. The JIT
/// compiles a pattern the first time it is matched: most patterns of a large set never reach
/// confirmation in a given input, and need not pay for machine code.
/// Content is matched as bytes (no UTF mode), so invalid UTF-8 and NUL bytes are ordinary bytes, as
/// with `grep -P` in the C locale.
public final class CompiledRegex: @unchecked Sendable {
    // Safety: `code` is written in `init`, by the JIT once (under `jitLock`, before any match: a match
    // waits for `jitState` to leave `unjitted`), and freed in `deinit`; PCRE2 allows concurrent
    // matching with one compiled pattern as long as every thread has its own match data.
    private let code: OpaquePointer
    private let jitState = Atomic<UInt8>(CompiledRegex.unjitted)
    private let jitLock = Mutex<Void>(())
    private static let unjitted: UInt8 = 0
    private static let jitted: UInt8 = 1
    private static let interpreted: UInt8 = 2
    /// The pattern as written.
    public let pattern: Pattern
    /// The names of the pattern's named groups, by group number.
    public let groupNames: [(number: Int, name: String)]

    /// Compiles `pattern`.
    ///
    /// - Parameters:
    ///   - pattern: The pattern to compile.
    ///   - index: The pattern's position in its set, carried by the error.
    /// - Throws: `PatternError.invalid` when PCRE2 rejects the pattern.
    public init(_ pattern: Pattern, index: Int = 0) throws(PatternError) {
        var options: UInt32 = 0
        if pattern.caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        if pattern.isLiteral { options |= UInt32(PCRE2_LITERAL) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.source.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .invalid(
                index: index, pattern: pattern.source, offset: errorOffset,
                reason: Self.message(for: errorCode))
        }
        self.code = compiled
        self.pattern = pattern
        self.groupNames = Self.readGroupNames(compiled)
    }

    deinit { pcre2_code_free_8(code) }

    /// How much a match may cost before PCRE2 gives up on it: the budget that keeps a pattern that
    /// backtracks catastrophically (`(a+)+$` on a long line) from stalling a search.
    public enum Budget {
        /// The most times PCRE2 may call its internal match function (a JIT match counts the same way).
        public static let matchLimit: UInt32 = 2_000_000
        /// The most KiB of heap a match without JIT may use for its backtracking frames.
        public static let heapLimitKiB: UInt32 = 64 * 1024
        /// The largest JIT stack, in bytes, given to a match that overflows the default one: enough for
        /// a pattern that remembers one backtracking point per character of a 1 MiB line.
        public static let jitStackBytes = 64 << 20
        /// The most lines of one search on which a pattern may run out of its full budget: past them, it
        /// is tried with `reducedMatchLimit`, so that lines crafted against it cost little more than others.
        public static let overBudgetLines = 16
        /// The match limit of a pattern that ran out of budget on `overBudgetLines` lines.
        public static let reducedMatchLimit: UInt32 = 20_000
    }

    /// How the last match ended.
    public enum Outcome {
        /// The pattern matched.
        case matched
        /// The pattern does not match.
        case noMatch
        /// Neither could be decided within `Budget`: the JIT stack, the match limit or the heap limit
        /// ran out, with and without JIT.
        case overBudget
    }

    /// Per-thread scratch space for matching one `CompiledRegex`; not thread-safe.
    public final class MatchState {
        fileprivate let data: OpaquePointer
        /// The match context with the limits of `Budget` (and, once the default one overflowed, a large
        /// JIT stack).
        fileprivate let context: OpaquePointer
        fileprivate var jitStack: OpaquePointer?
        /// How the last match with this state ended.
        public fileprivate(set) var outcome = Outcome.noMatch

        fileprivate init?(code: OpaquePointer) {
            guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
            guard let context = pcre2_match_context_create_8(nil) else {
                pcre2_match_data_free_8(data)
                return nil
            }
            pcre2_set_match_limit_8(context, Budget.matchLimit)
            pcre2_set_heap_limit_8(context, Budget.heapLimitKiB)
            self.data = data
            self.context = context
        }

        /// Lowers the match limit to `Budget.reducedMatchLimit` for the matches still to come.
        public func reduceBudget() { pcre2_set_match_limit_8(context, Budget.reducedMatchLimit) }

        /// Gives the JIT a stack of up to `Budget.jitStackBytes` (mapped, so that only the pages a match
        /// uses cost memory); false when it cannot be made.
        fileprivate func growJITStack() -> Bool {
            guard jitStack == nil else { return false }
            guard let stack = pcre2_jit_stack_create_8(256 * 1024, Budget.jitStackBytes, nil) else { return false }
            jitStack = stack
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
            return true
        }

        deinit {
            pcre2_match_data_free_8(data)
            pcre2_match_context_free_8(context)
            if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        }
    }

    /// Makes the scratch space that `matches(_:state:)` needs; one per thread.
    ///
    /// - Returns: The state, or nil when PCRE2 cannot allocate it.
    public func makeMatchState() -> MatchState? { MatchState(code: code) }

    /// Returns the byte range of the first match in `subject`, or nil when there is none.
    ///
    /// - Parameters:
    ///   - subject: The bytes to search.
    ///   - state: Scratch space made by this regex's `makeMatchState()`.
    /// - Returns: The matched byte range, relative to `subject`.
    public func firstMatch(in subject: UnsafeRawBufferPointer, state: MatchState) -> Range<Int>? {
        guard run(subject, state) else { return nil }
        let vector = pcre2_get_ovector_pointer_8(state.data)
        guard let vector else { return nil }
        return Int(vector[0])..<max(Int(vector[0]), Int(vector[1]))
    }

    /// Returns whether `subject` contains a match.
    ///
    /// - Parameters:
    ///   - subject: The bytes to search.
    ///   - state: Scratch space made by this regex's `makeMatchState()`.
    /// - Returns: True when the regex matches somewhere in `subject`.
    @inline(__always)
    public func matches(_ subject: UnsafeRawBufferPointer, state: MatchState) -> Bool {
        run(subject, state)
    }

    /// Returns the values of the named groups of the first match in `subject` (groups that took part).
    ///
    /// - Parameters:
    ///   - subject: The bytes to search.
    ///   - state: Scratch space made by this regex's `makeMatchState()`.
    /// - Returns: Group name to matched text (invalid UTF-8 repaired); empty when nothing matches.
    public func namedCaptures(in subject: UnsafeRawBufferPointer, state: MatchState) -> [String: String] {
        guard !groupNames.isEmpty, run(subject, state), let vector = pcre2_get_ovector_pointer_8(state.data)
        else { return [:] }
        let pairs = Int(pcre2_get_ovector_count_8(state.data))
        var result: [String: String] = [:]
        for (number, name) in groupNames where number < pairs {
            let start = vector[2 * number]
            let end = vector[2 * number + 1]
            guard start != Self.unset, end >= start, Int(end) <= subject.count else { continue }
            let slice = UnsafeRawBufferPointer(rebasing: subject[Int(start)..<Int(end)])
            result[name] = String(decoding: slice, as: UTF8.self)
        }
        return result
    }

    /// The number of the named group `name`, if the pattern has one: resolve it once, then use
    /// `captureRange(_:in:state:)` on every line.
    public func groupNumber(named name: String) -> Int? {
        groupNames.first { $0.name == name }?.number
    }

    /// Returns the byte range of group `group` in the first match in `subject`; nil when nothing matches
    /// or the group took no part.
    ///
    /// No string is made.
    ///
    /// - Parameters:
    ///   - group: A group number (see `groupNumber(named:)`).
    ///   - subject: The bytes to search.
    ///   - state: Scratch space made by this regex's `makeMatchState()`.
    /// - Returns: The group's byte range, relative to `subject`.
    public func captureRange(_ group: Int, in subject: UnsafeRawBufferPointer, state: MatchState) -> Range<Int>? {
        guard run(subject, state), let vector = pcre2_get_ovector_pointer_8(state.data),
            group < Int(pcre2_get_ovector_count_8(state.data))
        else { return nil }
        let start = vector[2 * group]
        let end = vector[2 * group + 1]
        guard start != Self.unset, end >= start, Int(end) <= subject.count else { return nil }
        return Int(start)..<Int(end)
    }

    /// The byte range of group `group` in the match `state` holds from the last successful
    /// `matches(_:state:)` on a subject of `count` bytes; nil when the group took no part.
    public func lastCaptureRange(_ group: Int, state: MatchState, count: Int) -> Range<Int>? {
        guard let vector = pcre2_get_ovector_pointer_8(state.data), group < Int(pcre2_get_ovector_count_8(state.data))
        else {
            return nil
        }
        let start = vector[2 * group]
        let end = vector[2 * group + 1]
        guard start != Self.unset, end >= start, Int(end) <= count else { return nil }
        return Int(start)..<Int(end)
    }

    @inline(__always)
    private func run(_ subject: UnsafeRawBufferPointer, _ state: MatchState) -> Bool {
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { run($0, 0, state) }
        }
        return run(base, subject.count, state)
    }

    /// Matches with JIT where it compiled, within `Budget`.
    ///
    /// A match that runs out of JIT stack is tried again with a large stack, and one that runs out of
    /// budget otherwise, again without JIT. What the last of them decided is in `state.outcome`: an
    /// undecided match is false here, and `.overBudget` there, never a silent no.
    @inline(__always)
    private func run(_ base: UnsafePointer<UInt8>, _ count: Int, _ state: MatchState) -> Bool {
        var mode = jitState.load(ordering: .acquiring)
        if mode == Self.unjitted { mode = compileJIT() }
        let result =
            mode == Self.jitted
            ? pcre2_jit_match_8(code, base, count, 0, 0, state.data, state.context)
            : pcre2_match_8(code, base, count, 0, 0, state.data, state.context)
        if result >= 0 {
            state.outcome = .matched
            return true
        }
        if result == PCRE2_ERROR_NOMATCH || result == PCRE2_ERROR_PARTIAL {
            state.outcome = .noMatch
            return false
        }
        return retry(base, count, state, jitted: mode == Self.jitted, error: result)
    }

    /// Tries a match that failed with `error` again: with a large JIT stack, then without JIT.
    @inline(never)
    private func retry(_ base: UnsafePointer<UInt8>, _ count: Int, _ state: MatchState, jitted: Bool, error: Int32)
        -> Bool
    {
        var result = error
        if jitted, result == PCRE2_ERROR_JIT_STACKLIMIT, state.growJITStack() {
            result = pcre2_jit_match_8(code, base, count, 0, 0, state.data, state.context)
        }
        if jitted, result < 0, result != PCRE2_ERROR_NOMATCH, result != PCRE2_ERROR_MATCHLIMIT {
            // The interpreter keeps its backtracking frames on the heap, under the heap limit.
            result = pcre2_match_8(code, base, count, 0, UInt32(PCRE2_NO_JIT), state.data, state.context)
        }
        if result >= 0 {
            state.outcome = .matched
        } else if result == PCRE2_ERROR_NOMATCH || result == PCRE2_ERROR_PARTIAL {
            state.outcome = .noMatch
        } else {
            state.outcome = .overBudget
        }
        return result >= 0
    }

    /// JIT-compiles the pattern (once, whichever thread comes first) and returns how it is matched.
    @inline(never)
    private func compileJIT() -> UInt8 {
        jitLock.withLock { _ in
            var mode = jitState.load(ordering: .acquiring)
            if mode == Self.unjitted {
                mode = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0 ? Self.jitted : Self.interpreted
                jitState.store(mode, ordering: .releasing)
            }
            return mode
        }
    }

    /// PCRE2_UNSET: the offset of a group that did not take part.
    private static var unset: Int { Int(bitPattern: UInt.max) }

    private static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(errorCode, $0.baseAddress, 256) }
        guard length > 0 else { return "error \(errorCode)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    private static func readGroupNames(_ code: OpaquePointer) -> [(number: Int, name: String)] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        guard pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count) == 0, count > 0,
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize) == 0,
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table) == 0, let table
        else { return [] }
        var names: [(number: Int, name: String)] = []
        for entry in 0..<Int(count) {
            let start = table + entry * Int(entrySize)
            let number = Int(start[0]) << 8 | Int(start[1])
            let name = String(cString: start + 2)
            names.append((number, name))
        }
        return names
    }
}

extension CompiledRegex {
    /// The version of the PCRE2 library in use, as it reports it at run time (`10.42 2022-12-11`).
    public static var libraryVersion: String {
        var buffer = [UInt8](repeating: 0, count: 64)
        guard pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), &buffer) > 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
