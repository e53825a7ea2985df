import Foundation

extension Scanner {
    /// The report of an earlier scan of the same bytes, given to another upload: the findings are the
    /// stored ones, while the metadata (case, system, plan, environment) and the upload's name are this
    /// upload's own, merged as a scan would merge them, and the suggested case severity follows them.
    ///
    /// Nothing of the earlier upload's case, system or name is kept.
    ///
    /// - Parameters:
    ///   - stored: The earlier scan's report.
    ///   - paths: This upload's parts (their sidecars are read).
    /// - Returns: The report for this upload.
    public func relabel(_ stored: ScanReport, for paths: [String]) -> ScanReport {
        var report = stored
        var warnings: [ScanWarning] = stored.warnings.filter { $0.code != .badMetadata }
        var beside = UploadMetadata()
        for path in paths {
            if let sidecar = Self.sidecar(beside: path, warn: { warnings.append($0) }) {
                beside = beside.filled(from: sidecar)
            }
        }
        let metadata = Self.effectiveMetadata(
            beside: beside.filled(from: options.metadata), root: stored.contentMetadata ?? UploadMetadata(),
            options: options, warn: { warnings.append($0) })
        report.metadata = metadata
        report.warnings = warnings
        report.startedAt = options.now
        report.duration = 0
        report.profile = nil
        let oldNames = stored.inputs.map(\.name)
        report.inputs = zip(stored.inputs, paths).map { input, path in
            var input = input
            input.path = path
            input.name = (path as NSString).lastPathComponent
            return input
        }
        let rename: (String) -> String = { text in
            for (old, new) in zip(oldNames, report.inputs.map(\.name))
            where text.hasPrefix(old + "/") || text.hasPrefix(old + "!/") || text == old {
                return new + text.dropFirst(old.count)
            }
            return text
        }
        func relabelled(_ finding: Finding) -> Finding {
            var finding = finding
            finding.supportCase = metadata.supportCase
            finding.evidence = finding.evidence.map { evidence in
                var evidence = evidence
                evidence.artifact = rename(evidence.artifact)
                return evidence
            }
            return finding
        }
        report.findings = stored.findings.map(relabelled)
        report.suppressed = stored.suppressed.map(relabelled)
        report.artifacts = stored.artifacts.map(rename)
        report.metadata.sources = metadata.sources.map(rename)
        report.warnings = report.warnings.map { warning in
            var warning = warning
            warning.artifact = warning.artifact.map(rename)
            return warning
        }
        report.suggestedCaseSeverity = nil
        report.responseTarget = nil
        if let policy = options.policy {
            report.suggestedCaseSeverity = policy.suggestedSeverity(
                for: report.findings, environment: metadata.environment)
            if let severity = report.suggestedCaseSeverity {
                report.responseTarget = policy.target(plan: metadata.plan, severity: severity)
            }
        }
        return report
    }

    /// The metadata of the sidecar `PATH.properties` beside an upload part, if there is one.
    static func sidecar(beside path: String, warn: (ScanWarning) -> Void) -> UploadMetadata? {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let sidecar = trimmed + ".properties"
        guard FileManager.default.fileExists(atPath: sidecar) else { return nil }
        guard let data = FileManager.default.contents(atPath: sidecar) else {
            warn(ScanWarning(.badMetadata, artifact: sidecar, "\(sidecar): cannot read the upload's metadata"))
            return nil
        }
        let file = PropertiesFile(text: String(decoding: data, as: UTF8.self))
        return UploadMetadata(values: file.values, source: (sidecar as NSString).lastPathComponent)
    }
}
