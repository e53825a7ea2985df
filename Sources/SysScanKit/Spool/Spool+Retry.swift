import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Spool {
    /// Sends uploads filed in `failed/` back to `incoming/` (their sidecar first), to be scanned again;
    /// their recorded failures stay in the history.
    ///
    /// Each name is a folder of `failed/`.
    ///
    /// - Parameter names: Folder names in `failed/`.
    /// - Returns: For each name, nil when it went back, else why it could not.
    public func retry(_ names: [String]) -> [(name: String, error: String?)] {
        names.map { name in (name, retry(name)) }
    }

    private func retry(_ name: String) -> String? {
        let folder = path(failed, name)
        guard !name.contains("/"), SpoolFiles.isFolder(folder) else { return "\(folder): no such failed upload" }
        let files = ((try? SpoolFiles.names(in: folder)) ?? []).filter { !$0.hasPrefix(".") }
        var claim = SpoolClaim.read(folder: folder)
        if claim == nil,
            let upload = files.first(where: { !Self.outputNames.contains($0) && !$0.hasSuffix(".properties") })
                ?? files.first(where: { !Self.outputNames.contains($0) })
        {
            claim = SpoolClaim(id: "", upload: upload, sidecar: files.contains(upload + ".properties"), claimedAt: 0)
            claim?.folder = folder
        }
        guard let claim else { return "\(folder): holds no upload" }
        let upload = path(folder, claim.upload)
        let target = path(incoming, claim.upload)
        guard SpoolFiles.exists(upload) else { return "\(folder): the upload \(claim.upload) is not there" }
        guard !SpoolFiles.exists(target) else { return "\(target) exists: another upload of that name is waiting" }
        forgetClaimWithoutSidecar(claim.upload)
        do {
            let sidecar = path(folder, claim.upload + ".properties")
            if claim.kind != "sidecar", SpoolFiles.exists(sidecar) {
                let sidecarTarget = path(incoming, claim.upload + ".properties")
                guard !SpoolFiles.exists(sidecarTarget) else {
                    return "\(sidecarTarget) exists: another sidecar of that name is waiting"
                }
                try SpoolFiles.rename(sidecar, to: sidecarTarget)
                CrashPoint.retrySidecarMoved.reach()
            }
            try SpoolFiles.rename(upload, to: target)
        } catch {
            return "\(error)"
        }
        // What is left is the spool's own: its reports, the reason, the manifest.
        for file in (try? SpoolFiles.names(in: folder)) ?? [] {
            if Self.outputNames.contains(file) || file.hasPrefix("sysscan-") || file == SpoolClaim.manifestName
                || file.hasPrefix(SpoolFiles.temporaryPrefix)
            {
                unlink(path(folder, file))
            }
        }
        rmdir(folder)
        logger.notice(
            "sent back to incoming/ to be scanned again", metadata: ["upload": "\(claim.upload)", "outcome": "retry"])
        return nil
    }
}
