import Foundation

extension Spool {
    /// The spool's metrics in the Prometheus text exposition format (for node_exporter's textfile
    /// collector): uploads by outcome, bytes, seconds, faults, the uploads waiting, the last success.
    public var metricsText: String {
        lock.lock()
        let summary = counters
        let waiting = self.waiting
        let lastSuccess = self.lastSuccess
        lock.unlock()
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        metric(
            "sysscan_spool_uploads_total", "counter", "Uploads handled since the spool started, by outcome.",
            [
                ("{outcome=\"done\"}", "\(summary.done)"), ("{outcome=\"duplicate\"}", "\(summary.duplicates)"),
                ("{outcome=\"failed\"}", "\(summary.failed)"),
            ])
        metric(
            "sysscan_spool_faults_total", "counter", "Faults of the spool itself (folders, store).",
            [("", "\(summary.faults)")])
        metric(
            "sysscan_spool_upload_bytes_total", "counter", "Bytes of the uploads handled.", [("", "\(summary.bytes)")])
        metric(
            "sysscan_spool_scan_seconds_total", "counter", "Seconds spent handling uploads.",
            [("", String(format: "%.3f", summary.seconds))])
        metric(
            "sysscan_spool_queue_depth", "gauge", "Uploads waiting in incoming/ at the last look (settled or not).",
            [("", "\(waiting)")])
        metric(
            "sysscan_spool_findings_total", "counter", "Findings of the uploads scanned, by severity.",
            Severity.allCases.map { ("{severity=\"\($0.rawValue)\"}", "\(summary.findings[$0] ?? 0)") })
        if let lastSuccess {
            metric(
                "sysscan_spool_last_success_timestamp_seconds", "gauge", "When an upload was last done (Unix time).",
                [("", String(format: "%.3f", lastSuccess))])
        }
        return out
    }

    /// Writes the metrics file atomically, when one is configured.
    func writeMetrics() {
        guard let file = options.metricsFile else { return }
        let folder = (file as NSString).deletingLastPathComponent
        do {
            try SpoolFiles.write(
                metricsText, to: folder.isEmpty ? "." : folder, name: (file as NSString).lastPathComponent)
        } catch {
            logger.warning("cannot write the metrics file: \(error)")
        }
    }
}
