import Foundation

/// Applies contributions in the order their tickets were taken, whatever order they arrive in: the
/// reading thread takes a ticket per event (an artifact to match, a warning), matching threads deliver
/// the artifacts' results when they are done, and each result is applied once every earlier one was.
///
/// Application runs under the merge's lock, on the thread whose delivery completed the sequence, with the
/// `apply` that delivery brought (one owner passes the same function every time), so the state it changes
/// is never touched by two threads at once.
final class OrderedMerge<Item>: @unchecked Sendable {
    // Safety: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var waiting: [Int: Item] = [:]
    private var issued = 0
    private var applied = 0
    /// How many tickets may be taken but not applied before `reserve` waits: results waiting for an earlier
    /// one are held in memory.
    private let limit: Int

    /// Creates a merge that lets `limit` tickets be taken but not applied before `reserve` waits.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes the next ticket; waits while `limit` tickets are not applied yet.
    func reserve() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while issued - applied >= limit { condition.wait() }
        issued += 1
        return issued - 1
    }

    /// Delivers the contribution of `ticket`, applying it and every waiting one after it whose turn came.
    func deliver(_ ticket: Int, _ item: Item, apply: (Item) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        waiting[ticket] = item
        var progressed = false
        while let next = waiting.removeValue(forKey: applied) {
            apply(next)
            applied += 1
            progressed = true
        }
        if progressed { condition.broadcast() }
    }

    /// Takes a ticket and delivers `item` with it: applied now, or once every earlier contribution was.
    func append(_ item: Item, apply: (Item) -> Void) {
        deliver(reserve(), item, apply: apply)
    }

    /// Waits until every ticket taken was applied.
    func waitForAll() {
        condition.lock()
        defer { condition.unlock() }
        while applied < issued { condition.wait() }
    }

    /// Runs `body` under the merge's lock (to read what `apply` changes while matching goes on).
    func withLock<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
