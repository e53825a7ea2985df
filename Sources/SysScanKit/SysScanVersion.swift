import StreamMatch

/// The tool's version, and those of the C libraries it runs with.
public enum SysScanVersion {
    /// The version of this build.
    public static let current = "0.1.0"

    /// The C libraries SysScan runs with and their versions, each as the library reports it at run time
    /// (which may differ from the version it was built against).
    public static var libraries: [(name: String, version: String)] {
        [
            ("libarchive", ArchiveReader.libraryVersion), ("libxml2", XMLConfig.libraryVersion),
            ("PCRE2", CompiledRegex.libraryVersion), ("SQLite", ScanStore.sqliteVersion),
        ]
    }
}
