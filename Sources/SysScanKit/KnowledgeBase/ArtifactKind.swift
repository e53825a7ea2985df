/// A kind of file in an upload (`tomcat-server-xml`, `jvm-gc-log`, …), decided by path globs.
public struct ArtifactKind: Sendable, Hashable {
    /// How a kind's content is read.
    public enum Format: String, Sendable, CaseIterable {
        /// Lines, searched by log rules.
        case log
        /// Lines of a configuration file, searched by line rules; no parser yet.
        case text
        /// XML, parsed for XPath rules (and searched by line rules).
        case xml
        /// A Java `.properties` file, parsed for property rules (and searched by line rules).
        case properties
        /// An httpd-style directive file (the last occurrence of a directive wins; `<Block>` sections).
        case httpd
        /// An sshd-style directive file (the first occurrence wins; `Match` sections).
        case sshd
        /// A package list (`rpm -qa`, `dpkg -l`, `apk info -v`), parsed for package rules (and searched by
        /// line rules).
        case packages
        /// PEM or DER X.509 certificates, read for certificate rules.
        case certificate
    }

    /// The kind's name, as rules name it in `applies_to`.
    public var name: String
    /// How its content is read.
    public var format: Format
    /// The path globs that make a file this kind.
    public var paths: [String]

    /// Creates a kind.
    ///
    /// - Parameters:
    ///   - name: The kind's name.
    ///   - format: How its content is read.
    ///   - paths: The globs that make a file this kind.
    public init(name: String, format: Format, paths: [String]) {
        self.name = name
        self.format = format
        self.paths = paths
    }
}
