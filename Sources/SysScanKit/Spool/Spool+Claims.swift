import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Spool {
    /// An upload in `incoming/` ready to claim, and whether its sidecar goes with it.
    struct ReadyUpload: Sendable {
        var name: String
        var sidecar: Bool
    }

    /// Whether `name` in `incoming/` is an upload (not a sidecar, not a file still being written).
    static func isUpload(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".properties") && !isPartial(name)
    }

    /// Whether a name says its file is still being written (`.part`, `.filepart`, `.tmp`).
    static func isPartial(_ name: String) -> Bool {
        name.hasSuffix(".part") || name.hasSuffix(".filepart") || name.hasSuffix(".tmp")
    }

    // MARK: Looking at incoming/

    /// The settled uploads of `incoming/`, sorted by name, each with its sidecar decision.
    ///
    /// A late sidecar met here is filed on its own first.
    func readyUploads(report: (Event) -> Void) -> [ReadyUpload] {
        let names: [String]
        do {
            names = try SpoolFiles.names(in: incoming)
        } catch {
            raiseFault(upload: nil, "cannot look for uploads: \(error)", report: report)
            return []
        }
        let present = Set(names)
        let now = SpoolFiles.now()
        var ready: [ReadyUpload] = []
        var unsettled = 0
        for name in names where Self.isUpload(name) {
            guard let changed = SpoolFiles.lastChange(path(incoming, name)) else { continue }
            guard now - changed >= options.settleSeconds else {
                unsettled += 1
                continue
            }
            var sidecar = false
            let sidecarName = name + ".properties"
            if present.contains(sidecarName), let sidecarChanged = SpoolFiles.lastChange(path(incoming, sidecarName)) {
                guard now - sidecarChanged >= options.settleSeconds else {
                    unsettled += 1
                    continue
                }
                if let claimedAt = lateSince(upload: name, sidecarChanged: sidecarChanged, now: now) {
                    fileLoneSidecar(sidecarName, reason: lateReason(name, claimedAt: claimedAt), report: report)
                } else {
                    sidecar = true
                }
            }
            ready.append(ReadyUpload(name: name, sidecar: sidecar))
        }
        if access(incoming, W_OK | X_OK) != 0, !ready.isEmpty {
            raiseFault(
                upload: nil, "cannot claim uploads: \(incoming) is not writable (\(String(cString: strerror(errno))))",
                report: report)
            return []
        }
        lock.withLock { waiting = ready.count + unsettled }
        return ready
    }

    /// Files every sidecar of `incoming/` that has no upload beside it and is late or an orphan.
    func fileLoneSidecars(report: (Event) -> Void) {
        guard let names = try? SpoolFiles.names(in: incoming) else { return }
        let present = Set(names)
        let now = SpoolFiles.now()
        for name in names where name.hasSuffix(".properties") && !name.hasPrefix(".") {
            let upload = String(name.dropLast(".properties".count))
            guard !present.contains(upload), let changed = SpoolFiles.lastChange(path(incoming, name)) else { continue }
            if let claimedAt = lateSince(upload: upload, sidecarChanged: changed, now: now) {
                fileLoneSidecar(name, reason: lateReason(upload, claimedAt: claimedAt), report: report)
            } else if now - changed >= options.orphanAfterSeconds {
                fileLoneSidecar(
                    name,
                    reason:
                        "\(name): no upload named \(upload) arrived within \(Int(options.orphanAfterSeconds)) s of its metadata; "
                        + "filed here so that it is never applied to another upload", report: report)
            }
        }
    }

    private func lateReason(_ upload: String, claimedAt: TimeInterval) -> String {
        let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: claimedAt))
        return "\(upload).properties: arrived after the upload \(upload) was claimed without metadata (at \(when)); "
            + "not applied to it nor to any later upload of that name (send metadata before its upload, or both in one folder)"
    }

    /// When a sidecar that changed at `sidecarChanged` is late: an upload of its name was claimed without a
    /// sidecar within the orphan time, before the sidecar last changed.
    ///
    /// Returns that claim's time.
    ///
    /// File times come from a coarser clock than the claim's, and a sidecar that was there before the claim
    /// would have gone with the upload (or held the claim back while it settled): one that changed up to a
    /// second before the claim counts as late too, the safe side.
    func lateSince(upload: String, sidecarChanged: TimeInterval, now: TimeInterval) -> TimeInterval? {
        guard let claimedAt = claimedWithoutSidecar(upload), now - claimedAt < options.orphanAfterSeconds,
            sidecarChanged >= claimedAt - 1
        else { return nil }
        return claimedAt
    }

    /// Moves a sidecar that belongs to no upload into `failed/NAME/` with `error.txt`.
    func fileLoneSidecar(_ name: String, reason: String, report: (Event) -> Void) {
        let id = UUID().uuidString
        let folder = path(processing, SpoolClaim.folderName(id: id))
        var claim = SpoolClaim(id: id, upload: name, sidecar: false, kind: "sidecar", claimedAt: SpoolFiles.now())
        claim.folder = folder
        do {
            try SpoolFiles.makeFolder(folder)
            try claim.writeManifest()
            try SpoolFiles.rename(path(incoming, name), to: claim.uploadPath)
        } catch {
            discardEmptyClaim(claim)
            if error.code != ENOENT {
                raiseFault(upload: name, "cannot file the lone sidecar: \(error)", report: report)
            }
            return
        }
        finishLoneSidecar(claim, reason: reason, report: report)
    }

    func finishLoneSidecar(_ claim: SpoolClaim, reason: String, report: (Event) -> Void) {
        do {
            try SpoolFiles.write(reason + "\n", to: claim.folder, name: "error.txt")
            try SpoolFiles.moveUnique(claim.folder, into: failed, name: claim.upload)
            note(.sidecarFiled(name: claim.upload, reason: reason), report: report)
        } catch {
            raiseFault(
                upload: claim.upload,
                "cannot file the lone sidecar in \(failed): \(error); it stays in \(claim.folder)", report: report)
        }
    }

    // MARK: Claiming

    /// Claims an upload: a claim folder with its manifest, then the upload, then its sidecar.
    ///
    /// Nil when another worker took it first, or on a fault.
    func claim(_ upload: ReadyUpload, report: (Event) -> Void) -> SpoolClaim? {
        let id = UUID().uuidString
        var claim = SpoolClaim(id: id, upload: upload.name, sidecar: upload.sidecar, claimedAt: SpoolFiles.now())
        claim.folder = path(processing, SpoolClaim.folderName(id: id))
        do {
            try SpoolFiles.makeFolder(claim.folder)
            try claim.writeManifest()
        } catch {
            discardEmptyClaim(claim)
            raiseFault(upload: upload.name, "cannot claim: \(error)", report: report)
            return nil
        }
        do {
            try SpoolFiles.rename(path(incoming, upload.name), to: claim.uploadPath)
        } catch {
            discardEmptyClaim(claim)
            if error.code != ENOENT { raiseFault(upload: upload.name, "cannot claim: \(error)", report: report) }
            return nil  // ENOENT: another worker took it first
        }
        if upload.sidecar {
            do {
                try SpoolFiles.rename(path(incoming, upload.name + ".properties"), to: claim.sidecarPath)
            } catch {
                // Gone meanwhile (removed by the uploader): the upload goes on without it.
                claim.sidecar = false
                try? claim.writeManifest()
                logger.warning(
                    "the sidecar vanished while the upload was claimed: \(error)",
                    metadata: ["upload": "\(upload.name)"])
            }
        }
        if !claim.sidecar { markClaimedWithoutSidecar(claim) }
        CrashPoint.claimed.reach()
        return claim
    }

    /// Removes a claim folder that holds nothing but its manifest (never anything else).
    func discardEmptyClaim(_ claim: SpoolClaim) {
        unlink(path(claim.folder, SpoolClaim.manifestName))
        for name in (try? SpoolFiles.names(in: claim.folder)) ?? [] where name.hasPrefix(SpoolFiles.temporaryPrefix) {
            unlink(path(claim.folder, name))
        }
        rmdir(claim.folder)
    }

    // MARK: Markers of claims without a sidecar

    private func markerPath(_ upload: String) -> String {
        path(claimedMarkers, String(SpoolFiles.fnv1a(upload), radix: 16))
    }

    func markClaimedWithoutSidecar(_ claim: SpoolClaim) {
        do {
            try SpoolFiles.write(
                "\(claim.claimedAt)\n\(claim.upload)\n", to: claimedMarkers,
                name: (markerPath(claim.upload) as NSString).lastPathComponent)
        } catch {
            logger.warning(
                "cannot note the claim (late sidecars of this name will not be recognised): \(error)",
                metadata: ["upload": "\(claim.upload)"])
        }
    }

    func claimedWithoutSidecar(_ upload: String) -> TimeInterval? {
        guard let data = FileManager.default.contents(atPath: markerPath(upload)) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, String(lines[1]) == upload else { return nil }
        return TimeInterval(String(lines[0]))
    }

    func forgetClaimWithoutSidecar(_ upload: String) {
        if claimedWithoutSidecar(upload) != nil { unlink(markerPath(upload)) }
    }

    // MARK: Recovery

    /// Takes over every claim whose owner is dead or whose lease expired, and completes it.
    func recover(shouldStop: () -> Bool, report: (Event) -> Void) {
        guard let names = try? SpoolFiles.names(in: processing) else {
            raiseFault(upload: nil, "cannot read \(processing)", report: report)
            return
        }
        let host = ProcessInfo.processInfo.hostName
        for name in names {
            guard !shouldStop(), fault == nil, let owner = SpoolClaim.owner(ofFolder: name) else { continue }
            if owner.host == host, owner.pid == getpid() { continue }  // this process's own
            let folder = path(processing, name)
            guard !isLive(owner, folder: folder, host: host) else { continue }
            let taken = path(processing, SpoolClaim.folderName(id: owner.id))
            do {
                try SpoolFiles.rename(folder, to: taken)
            } catch {
                if error.code != ENOENT {  // ENOENT: another worker took it over first
                    raiseFault(upload: nil, "cannot take over the claim \(folder): \(error)", report: report)
                }
                continue
            }
            guard var claim = SpoolClaim.read(folder: taken) ?? legacyClaim(folder: taken, id: owner.id) else {
                rmdir(taken)  // empty: interrupted before anything was moved in
                continue
            }
            claim.folder = taken
            for file in (try? SpoolFiles.names(in: taken)) ?? [] where file.hasPrefix(SpoolFiles.temporaryPrefix) {
                unlink(path(taken, file))  // a temporary file of the killed worker, never an upload
            }
            guard SpoolFiles.exists(claim.uploadPath) else {
                discardEmptyClaim(claim)  // interrupted before the upload was moved in: it is still in incoming/
                continue
            }
            if claim.kind == "sidecar" {
                let reason = (try? String(contentsOfFile: path(taken, "error.txt"), encoding: .utf8))?
                    .trimmingWhitespace()
                finishLoneSidecar(claim, reason: reason ?? "\(claim.upload): metadata with no upload", report: report)
                continue
            }
            if claim.sidecar, !SpoolFiles.exists(claim.sidecarPath) {
                // Interrupted between moving the upload and its sidecar: the sidecar is still in incoming/.
                try? SpoolFiles.rename(path(incoming, claim.upload + ".properties"), to: claim.sidecarPath)
                if !SpoolFiles.exists(claim.sidecarPath) { claim.sidecar = false }
            }
            if !claim.sidecar { markClaimedWithoutSidecar(claim) }
            note(.recovered(upload: claim.upload), report: report)
            handle(claim, report: report)
        }
    }

    /// A claim folder of an earlier version (no manifest): the upload is the entry that is not a
    /// sidecar nor a report.
    private func legacyClaim(folder: String, id: String) -> SpoolClaim? {
        let names = ((try? SpoolFiles.names(in: folder)) ?? []).filter { !$0.hasPrefix(".") }
        guard
            let upload = names.first(where: { !$0.hasSuffix(".properties") && !Self.outputNames.contains($0) })
                ?? names.first
        else {
            return nil
        }
        var claim = SpoolClaim(
            id: id, upload: upload, sidecar: names.contains(upload + ".properties"), claimedAt: SpoolFiles.now())
        claim.folder = folder
        return claim
    }

    /// Whether a claim still belongs to a working process: its owner runs on this host, or, for another
    /// host's claim, the lease since the folder last changed has not expired.
    private func isLive(_ owner: (host: String, pid: Int32, id: String), folder: String, host: String) -> Bool {
        let changed = SpoolFiles.lastChange(folder) ?? 0
        let leaseRunning = SpoolFiles.now() - changed < options.leaseSeconds
        guard owner.host == host else { return leaseRunning }
        let alive = kill(owner.pid, 0) == 0 || errno == EPERM
        return alive && leaseRunning
    }

    func path(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
