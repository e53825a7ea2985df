import ArgumentParser
import Foundation
import SysScanKit

/// A mistyped subcommand, caught before the parser sees it: `sysscan scna x.tgz` would otherwise scan a
/// file named `scna` (scan is the default subcommand) and `sysscan rules lnit` would say only that `lnit`
/// is unexpected.
enum SubcommandTypo {
    /// The usage error for `arguments` (without the program name) when a word in a subcommand's place is no
    /// subcommand but near one's name; nil otherwise.
    ///
    /// Under a command with a default subcommand (`sysscan`, `sysscan spool`) the word is also that
    /// subcommand's argument, so it counts as mistyped only when it names no existing file or folder and
    /// has no `/`: `sysscan upload.tgz` stays a scan.
    static func message(for arguments: [String]) -> String? {
        var command: ParsableCommand.Type = SysScan.self
        var path = [SysScan._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return nil }
            if let next = subcommands.first(where: { $0._commandName == word }) {
                command = next
                path.append(word)
                continue
            }
            let names = subcommands.map { $0._commandName } + ["help"]
            guard let suggestion = NameSuggestion.nearest(to: word, among: names) else { return nil }
            if command.configuration.defaultSubcommand != nil {
                guard !word.contains("/"), !FileManager.default.fileExists(atPath: word) else { return nil }
            }
            let usage = SysScan.usageString(for: command)
            let name = path.joined(separator: " ")
            return """
                Error: Unknown subcommand '\(word)'. Did you mean '\(suggestion)'?
                \(usage.hasPrefix("Usage:") ? usage : "Usage: \(usage)")
                  See '\(name) --help' for more information.
                """
        }
        return nil
    }
}
