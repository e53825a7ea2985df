import ArgumentParser

/// The entry point: parses the command line and runs the command; every error ends in `ErrorReport`.
@main
enum Main {
    static func main() async {
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
