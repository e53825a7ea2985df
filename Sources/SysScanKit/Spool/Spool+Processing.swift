import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Spool {
    /// The files the spool writes beside an upload; an upload or sidecar of one of these names makes the
    /// spool write its own under `sysscan-NAME` instead.
    static let outputNames: Set<String> = [
        "report.json", "report.md", "error.txt", "duplicate-of.txt", "linked-to.txt",
    ]

    /// Processes a claim: its outcome recorded exactly once (taken from the store when a killed worker
    /// recorded it already), its reports written into the claim folder, the folder filed.
    func process(_ claim: SpoolClaim) -> Event {
        do {
            if let recorded = try store.scan(claim: claim.id) { return finish(claim, recorded: recorded) }
        } catch {
            return storeFault(claim, error)
        }
        let (knowledgeBase, baseOptions) = lock.withLock { configuration }
        var scanOptions = baseOptions
        scanOptions.now = Date()
        scanOptions.progress = nil
        scanOptions.defaults = Self.metadata(fromName: claim.upload)
        let parts = uploadParts(claim, options: &scanOptions)
        guard let sha256 = UploadDigest.sha256(path: claim.uploadPath) else {
            return failure(
                claim, reason: "\(claim.upload): cannot read the upload", sha256: "unreadable",
                knowledgeBase: knowledgeBase)
        }
        let scanner = Scanner(knowledgeBase: knowledgeBase, options: scanOptions)
        var report: ScanReport
        var kind = ScanStore.Kind.scanned
        do {
            if !options.rescan, let previous = try store.latestScan(sha256: sha256),
                previous.knowledgeBaseVersion == knowledgeBase.source.version,
                let stored = try store.storedReport(id: previous.id)
            {
                report = scanner.relabel(stored, for: parts)
                kind = .linked(of: previous.id)
            } else {
                do {
                    report = try scanner.scan(parts)
                } catch {
                    let reason = error.description.replacingOccurrences(of: claim.folder + "/", with: "")
                    return failure(claim, reason: reason, sha256: sha256, knowledgeBase: knowledgeBase)
                }
            }
        } catch {
            return storeFault(claim, error)
        }
        if report.nothingChecked {
            let reason = Self.nothingCheckedReason(claim.upload, report: report)
            return failure(
                claim, reason: reason, sha256: sha256, knowledgeBase: knowledgeBase, metadata: report.metadata)
        }
        let recorded: ScanStore.Recorded
        do {
            recorded = try store.record(
                report, upload: claim.upload, sha256: sha256, kind: kind, claim: claim.id,
                detectDuplicates: !options.rescan)
        } catch {
            return storeFault(claim, error)
        }
        CrashPoint.recorded.reach()
        return finish(claim, recorded: recorded, report: report)
    }

    /// Why nothing of an upload could be checked, for `error.txt` and the history.
    static func nothingCheckedReason(_ upload: String, report: ScanReport) -> String {
        guard let detail = report.nothingCheckedDetail else { return "\(upload): nothing could be checked" }
        var reason = "\(upload): nothing could be checked: \(detail.reason)"
        if !detail.unrecognised.isEmpty { reason += " (\(detail.unrecognised.prefix(10).joined(separator: ", ")))" }
        return reason
    }

    /// The upload's parts: the upload itself (the scan reads its sidecar beside it), or, for a folder that
    /// holds only archives (and metadata), each archive as a part of one multi-part upload, with the claim's
    /// sidecar and the folder's `.properties` files as its metadata.
    private func uploadParts(_ claim: SpoolClaim, options scanOptions: inout ScanOptions) -> [String] {
        guard SpoolFiles.isFolder(claim.uploadPath), let names = try? SpoolFiles.names(in: claim.uploadPath) else {
            return [claim.uploadPath]
        }
        let visible = names.filter { !$0.hasPrefix(".") }
        var archives: [String] = []
        var metadataFiles: [String] = []
        for name in visible {
            let full = path(claim.uploadPath, name)
            if name.hasSuffix(".properties") {
                metadataFiles.append(full)
            } else if !SpoolFiles.isFolder(full), ContentSniffer.sniff(fileAt: full) != .other {
                archives.append(full)
            } else {
                return [claim.uploadPath]  // a folder of the system's files: one folder upload
            }
        }
        guard !archives.isEmpty else { return [claim.uploadPath] }
        var beside = UploadMetadata()
        if claim.sidecar, let sidecar = Scanner.sidecar(beside: claim.uploadPath, warn: { _ in }) { beside = sidecar }
        let partSidecars = Set(archives.map { $0 + ".properties" })
        for file in metadataFiles where !partSidecars.contains(file) {
            if let data = FileManager.default.contents(atPath: file) {
                let values = PropertiesFile(text: String(decoding: data, as: UTF8.self)).values
                beside = beside.filled(
                    from: UploadMetadata(values: values, source: (file as NSString).lastPathComponent))
            }
        }
        scanOptions.metadata = beside
        return archives
    }

    /// What an upload's sidecar and name say, for an upload no scan merged its metadata of.
    private func uploadMetadata(_ claim: SpoolClaim) -> UploadMetadata {
        let name = Self.metadata(fromName: claim.upload)
        guard claim.sidecar, let sidecar = Scanner.sidecar(beside: claim.uploadPath, warn: { _ in }) else {
            return name
        }
        return sidecar.filled(from: name)
    }

    /// Records a failure (once per claim), writes `error.txt` and files the claim in `failed/`; `metadata` is
    /// the scan's, when a scan merged it.
    func failure(
        _ claim: SpoolClaim, reason: String, sha256: String, knowledgeBase: CompiledKnowledgeBase,
        metadata: UploadMetadata? = nil
    ) -> Event {
        let metadata = metadata ?? uploadMetadata(claim)
        let id: Int64
        do {
            id = try store.recordFailure(
                upload: claim.upload, sha256: sha256, metadata: metadata, error: reason,
                knowledgeBaseVersion: knowledgeBase.source.version, claim: claim.id)
        } catch {
            return storeFault(claim, error)
        }
        CrashPoint.recorded.reach()
        guard let recorded = try? store.scan(id: id) else {
            return file(
                claim, into: failed, outputs: ["error.txt": reason + "\n"],
                event: .failed(upload: claim.upload, supportCase: metadata.supportCase, reason: reason))
        }
        return finish(claim, recorded: recorded)
    }

    /// Writes a recorded outcome's files into the claim folder and files it: reports (from `report`, or
    /// from the store after a take-over) into `done/`, a failure's reason into `failed/`.
    func finish(_ claim: SpoolClaim, recorded: ScanStore.ScanSummary) -> Event {
        let event: Event
        switch recorded.status {
        case "failed":
            let reason = recorded.error ?? "unusable"
            return file(
                claim, into: failed, outputs: ["error.txt": reason + "\n"],
                event: .failed(upload: claim.upload, supportCase: recorded.supportCase, reason: reason))
        case "duplicate":
            event = .duplicate(
                upload: claim.upload, supportCase: recorded.supportCase, scanID: recorded.id,
                of: recorded.linkedScan ?? recorded.id)
        default:
            event = .done(
                upload: claim.upload, supportCase: recorded.supportCase, scanID: recorded.id,
                linkedScan: recorded.linkedScan,
                findings: recorded.counts)
        }
        var outputs: [String: String] = [:]
        outputs["report.json"] = (try? store.report(id: recorded.id, format: "json")) ?? nil
        outputs["report.md"] = (try? store.report(id: recorded.id, format: "md")) ?? nil
        addNotes(&outputs, status: recorded.status, id: recorded.id, linked: recorded.linkedScan)
        return file(claim, into: done, outputs: outputs, event: event)
    }

    private func finish(_ claim: SpoolClaim, recorded: ScanStore.Recorded, report: ScanReport) -> Event {
        if !recorded.inserted, let summary = try? store.scan(id: recorded.id) {
            return finish(claim, recorded: summary)
        }
        var outputs = ["report.json": JSONReport.render(report), "report.md": MarkdownReport.render(report)]
        addNotes(&outputs, status: recorded.status, id: recorded.id, linked: recorded.linkedScan)
        let event: Event =
            recorded.status == "duplicate"
            ? .duplicate(
                upload: claim.upload, supportCase: report.metadata.supportCase, scanID: recorded.id,
                of: recorded.linkedScan ?? recorded.id)
            : .done(
                upload: claim.upload, supportCase: report.metadata.supportCase, scanID: recorded.id,
                linkedScan: recorded.linkedScan,
                findings: report.countsBySeverity)
        return file(claim, into: done, outputs: outputs, event: event)
    }

    private func addNotes(_ outputs: inout [String: String], status: String, id: Int64, linked: Int64?) {
        guard let linked else { return }
        if status == "duplicate" {
            outputs["duplicate-of.txt"] =
                "the same upload (by SHA-256), case and system were scanned before as scan \(linked); recorded as scan \(id), not scanned again\n"
        } else {
            outputs["linked-to.txt"] =
                "the same bytes were scanned before as scan \(linked); its results are recorded for this upload's case and system as scan \(id)\n"
        }
    }

    /// Writes `outputs` into the claim folder and renames the folder into `destination/NAME/`.
    ///
    /// When that fails, the claim is filed in `failed/` with the reason; when that fails too, it stays
    /// where it is and the spool reports a fault.
    func file(_ claim: SpoolClaim, into destination: String, outputs: [String: String], event: Event) -> Event {
        do {
            for (name, text) in outputs.sorted(by: { $0.key < $1.key }) {
                let fileName = name == claim.upload || name == claim.upload + ".properties" ? "sysscan-" + name : name
                try SpoolFiles.write(text, to: claim.folder, name: fileName)
            }
            CrashPoint.reportsWritten.reach()
            try SpoolFiles.moveUnique(claim.folder, into: destination, name: claim.upload)
            return event
        } catch {
            guard destination != failed else {
                return .fault(
                    upload: claim.upload,
                    message: "cannot file the upload in \(failed): \(error); it stays in \(claim.folder)")
            }
            let reason = "recorded, but cannot be filed in \(destination): \(error)"
            do {
                try SpoolFiles.write(
                    reason + "\n", to: claim.folder,
                    name: claim.upload == "error.txt" ? "sysscan-error.txt" : "error.txt")
                let target = try SpoolFiles.moveUnique(claim.folder, into: failed, name: claim.upload)
                return .fault(upload: claim.upload, message: "\(reason); filed in \(target) instead")
            } catch {
                return .fault(
                    upload: claim.upload, message: "\(reason); nor in \(failed): \(error); it stays in \(claim.folder)")
            }
        }
    }

    /// The store cannot record: the upload goes back to `incoming/` (or, when it cannot, stays in its
    /// claim folder for the next start), and the spool stops.
    func storeFault(_ claim: SpoolClaim, _ error: any Error) -> Event {
        var whereabouts = "it stays in \(claim.folder)"
        let sidecarBack = !claim.sidecar || !SpoolFiles.exists(path(incoming, claim.upload + ".properties"))
        if !SpoolFiles.exists(path(incoming, claim.upload)), sidecarBack {
            do {
                if claim.sidecar {
                    try SpoolFiles.rename(claim.sidecarPath, to: path(incoming, claim.upload + ".properties"))
                }
                try SpoolFiles.rename(claim.uploadPath, to: path(incoming, claim.upload))
                discardEmptyClaim(claim)
                whereabouts = "it was put back in \(incoming)"
            } catch {
                whereabouts += " (\(error))"
            }
        }
        return .fault(upload: claim.upload, message: "the scan history cannot record: \(error); \(whereabouts)")
    }

    /// The case and system a file name states: `C1234567_host-01_2026-11-20.zip`.
    static func metadata(fromName name: String) -> UploadMetadata {
        var metadata = UploadMetadata()
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        let parts = stem.split(whereSeparator: { $0 == "_" }).map(String.init)
        guard let first = parts.first, CaseNumber.isValid(first) else { return metadata }
        metadata.supportCase = first
        if parts.count > 1, parts[1].range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            metadata.system = parts[1]
        }
        metadata.sources = ["file name"]
        return metadata
    }
}
