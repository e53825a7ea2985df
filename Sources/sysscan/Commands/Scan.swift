import ArgumentParser
import Foundation
import SysScanKit

extension SysScan {
    /// `sysscan scan`: scans one upload and prints or writes its report.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan an upload (a folder, an archive or a single file) and report the known issues found.",
            discussion: """
                UPLOAD is a folder or an archive in any format libarchive reads (tar, tar.gz, tar.bz2, tar.xz, \
                tar.zst, zip, 7z, cpio, ...), recognised by its content. Archives inside it are opened in place. \
                A single file that is no archive (catalina.out, server.xml) is a one-file upload, of the kind \
                its name gives. Several UPLOADs are scanned as parts of one upload of one system, into one report. \
                Metadata (system, product, version, case, plan) is read from UPLOAD.properties beside the \
                upload and from sysscan.properties at its root; --case and --system win over both.

                Exit codes: 0 no finding at or above --fail-on; 1 a finding at or above it; 2 usage error; \
                3 unusable upload or knowledge base; 4 nothing could be checked (no file of the upload is of \
                a kind the knowledge base knows), whatever --fail-on; the report is written as usual.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, md, html
        }

        enum FailOn: String, ExpressibleByArgument, CaseIterable {
            case critical, high, medium, low, info, none

            /// The lowest severity that fails the scan; nil for `none`.
            var severity: Severity? { Severity(rawValue: rawValue) }
        }

        @Argument(
            help: ArgumentHelp(
                "The upload: a folder, an archive or a file (several: parts of one upload).", valueName: "upload"),
            completion: .file())
        var uploads: [String]

        @Option(
            name: .customLong("case"),
            help: ArgumentHelp("The support case the scan belongs to (C and 7 digits).", valueName: "C1234567"))
        var supportCase: String?

        @Option(help: ArgumentHelp("The system id, when the upload's metadata lacks or misstates it.", valueName: "id"))
        var system: String?

        @Option(help: ArgumentHelp("The report format.", valueName: "format"))
        var format: Format = .text

        @Option(
            name: [.short, .long],
            help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"),
            completion: .file())
        var output: String?

        @Option(
            help: ArgumentHelp(
                "Write the report in every format (report.txt, .json, .md, .html) to this folder.", valueName: "dir"),
            completion: .directory)
        var outputDir: String?

        @Option(help: ArgumentHelp("Lines of context shown around each evidence line.", valueName: "n"))
        var context: Int = 2

        @Flag(name: .shortAndLong, help: "No progress display on the terminal.")
        var quiet = false

        @Flag(help: "Print where the time went (per artifact and per rule) to standard error.")
        var profile = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Option(help: ArgumentHelp("Exit with 1 when a finding is at or above this severity.", valueName: "severity"))
        var failOn: FailOn = .none

        @Option(
            help: ArgumentHelp(
                "Local tuning to apply: suppress or re-rate rules (default: $SYSSCAN_TUNING).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
        var tuning: String?

        @Option(
            help: ArgumentHelp(
                "The customer's support plan, for the response target (values: the plans of support-policy.yaml).",
                valueName: "plan"),
            completion: Completions.plans)
        var plan: String?

        @Option(
            help: ArgumentHelp("Also record the scan in this scan history database (SQLite).", valueName: "file"),
            completion: .file())
        var db: String?

        @Option(help: ArgumentHelp("How deep archives inside the upload are opened.", valueName: "levels"))
        var maxNesting: Int = 3

        @Option(help: ArgumentHelp("The most evidence lines kept per finding.", valueName: "n"))
        var maxEvidence: Int = 10

        @OptionGroup(title: "Budgets") var budgets: BudgetOptions

        @Option(
            name: [.customShort("j"), .long],
            help: ArgumentHelp(
                "Threads that match artifacts (default: the cores available, at most 8); the findings do not depend on it.",
                valueName: "n"))
        var threads: Int?

        @Flag(
            name: .customLong("no-color"),
            help: "Never colour the text report (it is coloured only on a terminal, and not when NO_COLOR is set).")
        var noColor = false

        @Flag(help: "Refuse to scan (exit 3) when a rule file has errors, instead of leaving it out with a warning.")
        var strict = false

        func validate() throws {
            if let supportCase, !CaseNumber.isValid(supportCase) {
                throw ValidationError(
                    "--case '\(supportCase)' is not a case number: C followed by 7 digits, e.g. C1234567.")
            }
            guard maxNesting >= 0 else { throw ValidationError("--max-nesting must be 0 or more.") }
            guard maxEvidence >= 1 else { throw ValidationError("--max-evidence must be 1 or more.") }
            guard (1...64).contains(threads ?? 1) else { throw ValidationError("--threads must be between 1 and 64.") }
            guard context >= 0 else { throw ValidationError("--context must be 0 or more.") }
            if output != nil, outputDir != nil {
                throw ValidationError("--output and --output-dir exclude each other.")
            }
            if let output {
                let target = URL(fileURLWithPath: output).standardizedFileURL.path
                for upload in uploads where URL(fileURLWithPath: upload).standardizedFileURL.path == target {
                    throw ValidationError("--output '\(output)' is the upload itself; it would be overwritten.")
                }
            }
        }

        /// Scans, records the scan (--db), writes the report, then exits with the code the report calls for:
        /// 4 when nothing could be checked, else 1 for a finding at or above --fail-on.
        func run() async throws {
            let report = try scan()
            if let db { try record(report, in: db) }
            try write(report)
            if report.nothingChecked { throw ExitCodes.nothingChecked }
            if let threshold = failOn.severity, report.hasFinding(atOrAbove: threshold) { throw ExitCodes.findings }
        }

        /// The scan options the command line gives, with a progress line when standard error is a terminal.
        private func scanOptions() throws -> ScanOptions {
            var options = ScanOptions()
            options.supportCase = supportCase
            options.system = system
            options.maxNesting = maxNesting
            options.budget = budgets.budget
            options.maxEvidence = maxEvidence
            options.threads = threads ?? ScanOptions.defaultThreads
            options.plan = plan
            options.policy = try knowledgeBase.policy()
            options.contextLines = context
            options.profile = profile
            if let path = tuning ?? ProcessInfo.processInfo.environment["SYSSCAN_TUNING"] {
                options.tuning = try Tuning.load(path: path)
            }
            if !quiet, FileHandleOutput.standardErrorIsTerminal {
                options.progress = { progress in
                    let megabytes = Double(progress.bytesRead) / 1_000_000
                    let name = progress.artifact.count > 60 ? "…" + progress.artifact.suffix(59) : progress.artifact
                    FileHandleOutput.standardError(
                        String(format: "\r\u{1B}[K%d entries, %.1f MB · %@", progress.entries, megabytes, name))
                }
            }
            return options
        }

        /// Scans the upload; the progress line is cleared when the scan ends, however it ends.
        private func scan() throws -> ScanReport {
            let compiled = try knowledgeBase.compiled(strict: strict)
            let options = try scanOptions()
            let report: ScanReport
            do {
                defer { if options.progress != nil { FileHandleOutput.standardError("\r\u{1B}[K") } }
                report = try SysScanKit.Scanner(knowledgeBase: compiled, options: options).scan(uploads)
            }
            if let profile = report.profile { FileHandleOutput.standardError(TextReport.profile(profile)) }
            return report
        }

        /// Records the scan in the history database `db`.
        private func record(_ report: ScanReport, in db: String) throws {
            let store = try ScanStore(path: db)
            let upload = uploads.map { ($0 as NSString).lastPathComponent }.joined(separator: " + ")
            let sha256 = uploads.count == 1 ? (SpoolTools.sha256(uploads[0]) ?? "") : ""
            let id = try store.record(report, upload: upload, sha256: sha256)
            FileHandleOutput.standardError("sysscan: recorded as scan \(id) in \(db)\n")
        }

        /// Writes the report: in every format into --output-dir, else in --format to --output or standard output.
        private func write(_ report: ScanReport) throws {
            let summary = TextReport(colour: false).summaryLine(report)
            if let outputDir {
                let reports = [
                    ("report.txt", TextReport(colour: false).render(report)),
                    ("report.json", JSONReport.render(report)),
                    ("report.md", MarkdownReport.render(report)), ("report.html", HTMLReport.render(report)),
                ]
                do {
                    try FileHandleOutput.createFolder(outputDir)
                    for (file, text) in reports {
                        try FileHandleOutput.write(text, to: (outputDir as NSString).appendingPathComponent(file))
                    }
                } catch {
                    throw CommandFailure("cannot write the reports: \(error)")
                }
                FileHandleOutput.standardError("sysscan: \(summary); reports written to \(outputDir)\n")
                return
            }
            let rendered: String
            switch format {
            case .json: rendered = JSONReport.render(report)
            case .md: rendered = MarkdownReport.render(report)
            case .html: rendered = HTMLReport.render(report)
            case .text:
                let colour = output == nil && !noColor && FileHandleOutput.standardOutputIsColourTerminal
                rendered = TextReport(colour: colour).render(report)
            }
            guard let output else {
                FileHandleOutput.standardOutput(rendered)
                return
            }
            do {
                try FileHandleOutput.write(rendered, to: output)
            } catch {
                throw CommandFailure("cannot write the report: \(error)")
            }
            FileHandleOutput.standardError("sysscan: \(summary); report written to \(output)\n")
        }
    }
}
