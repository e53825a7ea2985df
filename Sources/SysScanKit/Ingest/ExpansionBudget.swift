import Dispatch

/// How much an upload may expand to while it is read: bytes decompressed per entry and per upload (each
/// an absolute cap and a ratio to the compressed bytes), and entries per upload.
///
/// A budget that is hit never aborts a scan: the entry (or the rest of the upload) is not read further,
/// an `expansion-budget` or `entry-budget` warning names the entry, and what was read is scanned.
///
/// The defaults are far above what a real support upload needs (a few GiB of logs that compress 5 to
/// 50 times, tens of thousands of files) and stop a decompression bomb within seconds: a ratio is only
/// applied past `ratioFloor`, so a small, very repetitive file is never cut.
public struct ExpansionBudget: Sendable, Hashable {
    /// The most bytes one entry may expand to (default 4 GiB).
    public var maxEntryBytes: Int64 = 4 << 30
    /// The most bytes all entries of an upload may expand to together, nested archives included (default
    /// 16 GiB).
    public var maxUploadBytes: Int64 = 16 << 30
    /// The most an entry may expand relative to the compressed bytes it was read from, and the upload
    /// relative to its size (default 1000: beyond what deflate gives even zeros).
    public var maxRatio: Int64 = 1000
    /// The expanded size below which the ratio is not applied (default 100 MiB).
    public var ratioFloor: Int64 = 100 << 20
    /// The most entries (headers of every kind, nested archives' included) an upload may hold (default
    /// 1,000,000).
    public var maxEntries = 1_000_000

    /// Creates the default budget.
    public init() {}

    /// The bytes something `compressed` bytes long may expand to under `cap`.
    func limit(compressed: Int64, cap: Int64) -> Int64 {
        let (product, overflow) = max(0, compressed).multipliedReportingOverflow(by: max(1, maxRatio))
        return min(cap, max(ratioFloor, overflow ? .max : product))
    }

    /// A size for people: `4 GiB`, `100 MiB`, `512 bytes`.
    static func describe(_ bytes: Int64) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= Int64(1) << shift {
            let value = Double(bytes) / Double(Int64(1) << shift)
            return value == value.rounded() ? "\(Int64(value)) \(unit)" : "\((value * 10).rounded() / 10) \(unit)"
        }
        return "\(bytes) bytes"
    }

    /// Reads a size as given on a command line: bytes, or a number with `K`, `M`, `G` or `T` (powers of
    /// 1024, an optional `iB` or `B` after it).
    ///
    /// - Parameter text: `4G`, `100MiB`, `65536`.
    /// - Returns: The bytes, or nil when the text is no size.
    public static func parseSize(_ text: String) -> Int64? {
        var digits = Substring(text.uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits = digits.dropLast(suffix.count)
            break
        }
        var shift: Int64 = 0
        if let last = digits.last, let index = "KMGT".firstIndex(of: last) {
            shift = Int64("KMGT".distance(from: "KMGT".startIndex, to: index) + 1) * 10
            digits = digits.dropLast()
        }
        guard let value = Int64(digits), value >= 0 else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? nil : result
    }
}

/// What one upload has used of its `ExpansionBudget` and its time, while it is read; and why its reading
/// stopped, once it did.
///
/// Not thread-safe: one per scan, used by the one thread that reads the upload (the scan reads `stop`
/// after the reading has ended).
final class ExpansionMeter: @unchecked Sendable {
    // Safety: used by one reading thread at a time; `PipelinedUpload` hands it over with its thread.

    /// Why the rest of an upload was not read.
    enum Stop: Equatable {
        /// The upload's expanded bytes reached their budget.
        case expansion
        /// The upload has more entries than its budget.
        case entries
        /// The scan's time ran out.
        case deadline
    }

    let budget: ExpansionBudget
    /// The bytes the upload may expand to.
    let uploadLimit: Int64
    /// When the scan's time runs out (`DispatchTime` nanoseconds).
    private let deadline: UInt64?
    /// Bytes decompressed so far.
    private(set) var expanded: Int64 = 0
    /// Entry headers read so far.
    private(set) var entries = 0
    /// Why the rest of the upload is not read, once it is not.
    private(set) var stop: Stop?

    /// Creates a meter for an upload of `compressedSize` bytes on disk.
    ///
    /// - Parameters:
    ///   - budget: The budget.
    ///   - compressedSize: The upload's size (its parts' sum).
    ///   - seconds: The time the scan may take, if limited.
    init(budget: ExpansionBudget, compressedSize: Int64, seconds: Double? = nil) {
        self.budget = budget
        uploadLimit = budget.limit(compressed: compressedSize, cap: budget.maxUploadBytes)
        deadline = seconds.map { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, $0) * 1e9) }
    }

    /// Whether the rest of the upload is not to be read (a budget hit, or the time run out).
    var isStopped: Bool {
        if stop == nil, let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { stop = .deadline }
        return stop != nil
    }

    /// Counts an entry header; false (and the upload stopped) when it is one too many.
    func admitEntry() -> Bool {
        entries += 1
        guard entries > budget.maxEntries else { return true }
        stop = .entries
        return false
    }

    /// Counts `count` bytes just decompressed from an entry that has given `entryBytes` so far from
    /// `entryCompressed` bytes of its archive; returns why the entry stops, if it does.
    func charge(_ count: Int, entryBytes: Int64, entryCompressed: Int64) -> EntryStream.Failure? {
        expanded += Int64(count)
        if isStopped { return .uploadStopped }
        if expanded > uploadLimit {
            stop = .expansion
            return .uploadStopped
        }
        let entryLimit = budget.limit(compressed: entryCompressed, cap: budget.maxEntryBytes)
        guard entryBytes > entryLimit else { return nil }
        return .overBudget(
            "expanded past \(ExpansionBudget.describe(entryLimit)) (\(entryCompressed) bytes compressed), the budget of an entry; the rest of the entry was not read"
        )
    }

    /// Counts the bytes decompressing the rest of an entry in order to skip it costs; false (and the
    /// upload stopped) when they pass the upload's budget.
    func chargeSkip(_ bytes: Int64) -> Bool {
        expanded += max(0, bytes)
        guard expanded > uploadLimit else { return true }
        stop = .expansion
        return false
    }

    /// The warning message for an upload stopped by its expansion budget, after `entry`.
    func uploadStopMessage(_ entry: String) -> String {
        "\(entry): the upload expanded past \(ExpansionBudget.describe(uploadLimit)), its budget; the rest of this entry and of the upload was not read"
    }
}
