import Foundation

/// A fixed set of threads that run the matching of artifacts, first come first served.
///
/// Work runs in the order it was submitted; results are put in reading order by `OrderedMerge`, not here.
final class MatchPool: @unchecked Sendable {
    // Safety: `queue`, `head` and `closed` are read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var head = 0
    private var closed = false
    private var running = 0
    private var threads: [Thread] = []

    /// Starts `count` threads.
    init(threads count: Int) {
        for index in 0..<max(1, count) {
            let thread = Thread { [self] in work() }
            thread.stackSize = 8 << 20
            thread.name = "sysscan.match.\(index)"
            threads.append(thread)
            running += 1
            thread.start()
        }
    }

    /// Runs `work` on one of the pool's threads.
    func submit(_ work: @escaping () -> Void) {
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once the work submitted is done, and waits for them.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count, !closed { condition.wait() }
            guard head < queue.count else {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let next = queue[head]
            head += 1
            if head > 256, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            next()
        }
    }
}
