import ArgumentParser
import SysScanKit

extension SysScan {
    /// `sysscan digest`: the SHA-256 by which the spool recognises an upload, printed like `sha256sum`.
    struct Digest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the SHA-256 by which the spool recognises an upload (a file or a folder).",
            discussion: """
                Prints one line per upload, HEX  NAME, as sha256sum does. For a file the digest is that of its \
                bytes, the same as sha256sum's; for a folder it covers every file below it, in path order, each \
                preceded by its path inside the folder.
                """)

        @Argument(help: ArgumentHelp("The upload: a file or a folder.", valueName: "upload"), completion: .file())
        var uploads: [String]

        func run() throws {
            var unreadable: [String] = []
            for upload in uploads {
                if let digest = SpoolTools.sha256(upload) {
                    FileHandleOutput.standardOutput("\(digest)  \(upload)\n")
                } else {
                    unreadable.append(upload)
                }
            }
            if !unreadable.isEmpty {
                throw CommandFailure(unreadable.map { "\($0): cannot be read" }.joined(separator: "; "))
            }
        }
    }
}
