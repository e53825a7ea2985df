import ArgumentParser
import SysScanKit

/// A kind of condition a rule skeleton can start from (`rules new --kind`): one of
/// `RuleCatalog.skeletonKinds`, listed in the help and offered by shell completion.
struct ConditionKind: ExpressibleByArgument {
    /// The kind's name as the rule file writes it (`log`, `xpath`, ...).
    var name: String

    init?(argument: String) {
        guard RuleCatalog.skeletonKinds.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { RuleCatalog.skeletonKinds }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
