import ArgumentParser
import SysScanKit

/// The budgets of what an upload may expand to, shared by `scan` and `spool run`.
struct BudgetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The most bytes one entry may expand to (K, M, G suffixes; default 4G).", valueName: "size"))
    var maxEntrySize: String?

    @Option(
        help: ArgumentHelp(
            "The most bytes all entries of an upload may expand to together (K, M, G suffixes; default 16G).",
            valueName: "size"))
    var maxUploadSize: String?

    @Option(
        help: ArgumentHelp(
            "The most an entry may expand relative to its compressed bytes, and the upload relative to its size, past 100 MiB.",
            valueName: "ratio"))
    var maxRatio: Int64 = ExpansionBudget().maxRatio

    @Option(help: ArgumentHelp("The most entries an upload may hold, nested archives' included.", valueName: "n"))
    var maxEntries: Int = ExpansionBudget().maxEntries

    func validate() throws {
        for (flag, value) in [("--max-entry-size", maxEntrySize), ("--max-upload-size", maxUploadSize)] {
            if let value, ExpansionBudget.parseSize(value).map({ $0 < 1 }) ?? true {
                throw ValidationError("\(flag) '\(value)' is not a size: bytes, or a number with K, M or G.")
            }
        }
        guard maxRatio >= 1, maxEntries >= 1 else {
            throw ValidationError("--max-ratio and --max-entries must be 1 or more.")
        }
    }

    /// The budget the flags give.
    var budget: ExpansionBudget {
        var budget = ExpansionBudget()
        if let size = maxEntrySize.flatMap(ExpansionBudget.parseSize) { budget.maxEntryBytes = size }
        if let size = maxUploadSize.flatMap(ExpansionBudget.parseSize) { budget.maxUploadBytes = size }
        budget.maxRatio = maxRatio
        budget.maxEntries = maxEntries
        return budget
    }
}
