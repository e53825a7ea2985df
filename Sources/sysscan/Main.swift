import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// The entry point: parses the command line and runs the command; every error ends in `ErrorReport`.
@main
enum Main {
    static func main() async {
        if let typo = SubcommandTypo.message(for: Array(CommandLine.arguments.dropFirst())) {
            FileHandleOutput.standardError(typo + "\n")
            exit(ExitCodes.usage.rawValue)
        }
        var command: ParsableCommand
        do {
            command = try SysScan.parseAsRoot()
        } catch {
            ErrorReport.exit(parsing: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReport.exit(running: error)
        }
    }
}
