/// Where a scan saw a fact's value: the value, the line and its time (when it has one).
struct FactSighting {
    var value: String
    var evidence: Evidence
    /// The line's time, seconds since 1970.
    var stamp: Double?

    /// Whether `other`, met later in reading order, replaces this sighting: the later time wins; without
    /// times on both, the later sighting does.
    func isReplaced(by other: FactSighting) -> Bool {
        guard let mine = stamp, let theirs = other.stamp else { return true }
        return theirs >= mine
    }
}
