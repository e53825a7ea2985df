/// What every report format says right after its header when nothing of the upload could be checked, so
/// that such a report never reads as clean: why, how many entries were seen, and the names of the first
/// unrecognised ones.
struct NothingCheckedNotice {
    /// How many unrecognised entries a notice names.
    static let namesShown = 10

    /// Why nothing could be checked.
    let reason: String
    /// `1 entry seen, none recognised`.
    let entries: String
    /// The first unrecognised entries' paths inside the upload.
    let names: [String]
    /// How many more entries were not recognised than `names` shows.
    let more: Int
    /// The closing sentence.
    static let consequence = "No rule could be checked, so this is not a clean result."

    /// Why nothing of `report` could be checked, or nil when something was (a report made without the
    /// detail gets one from its counts).
    static func detail(of report: ScanReport) -> ScanReport.NothingChecked? {
        guard report.nothingChecked else { return nil }
        return report.nothingCheckedDetail
            ?? ScanReport.NothingChecked(
                reason: "no file of the upload is of a kind the knowledge base knows",
                entriesSeen: report.skipped.notRecognised + report.skipped.withWarning, unrecognised: [])
    }

    /// The notice for `report`, or nil when something of it was checked.
    init?(_ report: ScanReport) {
        guard let detail = Self.detail(of: report) else { return nil }
        reason = detail.reason
        let seen = detail.entriesSeen
        entries = seen == 0 ? "0 entries seen" : "\(seen) \(seen == 1 ? "entry" : "entries") seen, none recognised"
        names = Array(detail.unrecognised.prefix(Self.namesShown))
        more = max(0, max(report.skipped.notRecognised, detail.unrecognised.count) - names.count)
    }

    /// The reason as a sentence: capitalised, ending in a period.
    var reasonSentence: String {
        guard let first = reason.first else { return "" }
        return first.uppercased() + reason.dropFirst() + "."
    }

    /// `1 entry seen, none recognised: a, b and 3 more` (no final period), each name formatted by `format`.
    func entriesLine(_ format: (String) -> String) -> String {
        guard !names.isEmpty else { return entries }
        return entries + ": " + names.map(format).joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
    }
}
