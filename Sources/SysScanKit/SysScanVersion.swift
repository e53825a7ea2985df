/// The tool's version.
public enum SysScanVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}
