import ArgumentParser

extension SysScan {
    /// `sysscan spool`: the spool's commands; `sysscan spool SPOOL` runs it.
    struct Spool: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan every upload that lands in a spool folder, exactly once; send failed uploads back.",
            subcommands: [SpoolRun.self, SpoolRetry.self],
            defaultSubcommand: SpoolRun.self)
    }
}
