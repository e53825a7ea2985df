import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Named instants of the spool's work at which a test can have the process killed (SIGKILL), to check
/// that the next start completes what was interrupted there.
///
/// Set `SYSSCAN_SPOOL_KILL_AT` to a point's name; unset (always, outside tests) it costs one
/// dictionary look-up per point.
enum CrashPoint: String {
    /// The upload is in the claim folder, nothing recorded.
    case claimed
    /// The outcome is recorded, no report written.
    case recorded
    /// The reports are written into the claim folder, which is not filed yet.
    case reportsWritten = "reports-written"
    /// `spool retry` moved the sidecar back, not yet the upload.
    case retrySidecarMoved = "retry-sidecar-moved"

    private static let armed = ProcessInfo.processInfo.environment["SYSSCAN_SPOOL_KILL_AT"].flatMap(
        CrashPoint.init(rawValue:))

    /// Kills the process here when this point is armed.
    func reach() {
        if Self.armed == self { kill(getpid(), SIGKILL) }
    }
}
