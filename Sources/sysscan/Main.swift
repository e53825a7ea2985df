import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// The entry point: runs the command line and maps usage errors to exit code 2.
@main
enum Main {
    static func main() async {
        do {
            var command = try SysScan.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = SysScan.exitCode(for: error)
            if code == .validationFailure {
                let message = SysScan.fullMessage(for: error)
                FileHandleOutput.standardError(message + "\n")
                exit(ExitCodes.usage.rawValue)
            }
            SysScan.exit(withError: error)
        }
    }
}
