import Crypto

/// A digest of what a knowledge base's rules do.
///
/// It covers the rule files (each by its path inside the knowledge base and its bytes, line ends
/// normalised to LF) and the artifact kinds. Two knowledge bases with one version but different rules
/// have different digests, so a report says exactly which rules made it.
///
/// `knowledge-base.yaml` may record the digest of its version as `rules_digest`; `rules lint` warns
/// (`KB020`) when the rules changed since, which means the version must be raised.
public struct KnowledgeBaseDigest {
    /// The number of hexadecimal digits shown and recorded (the first 64 bits of the SHA-256).
    public static let length = 16

    private var hasher = SHA256()

    /// Starts a digest.
    public init() {}

    /// Adds a rule file.
    ///
    /// - Parameters:
    ///   - path: Its path inside the knowledge-base folder, with `/` separators.
    ///   - text: Its content.
    public mutating func addRuleFile(path: String, text: String) {
        hasher.update(data: Array("file \(path)\n".utf8))
        hasher.update(data: Array(text.replacingOccurrences(of: "\r\n", with: "\n").utf8))
        hasher.update(data: [0])
    }

    /// Adds the artifact kinds, in the order they are tried.
    ///
    /// - Parameter kinds: The kinds.
    public mutating func addKinds(_ kinds: [ArtifactKind]) {
        for kind in kinds {
            hasher.update(
                data: Array("kind \(kind.name) \(kind.format.rawValue) \(kind.paths.joined(separator: " "))\n".utf8))
        }
    }

    /// The digest: the first `length` hexadecimal digits of the SHA-256.
    public func finalize() -> String {
        let hex = hasher.finalize().map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        return String(hex.prefix(Self.length))
    }
}
