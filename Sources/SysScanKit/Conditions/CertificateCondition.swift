import Foundation

/// A condition on the certificates of an upload's certificate files, judged at the upload's time (its
/// newest log line, else the scan's date): expired, expiring within a period, an RSA key below a size, or
/// a SHA-1 signature.
///
/// Roots (self-signed) are left out of the key and signature checks, and files of more
/// than `bundleSize` certificates (trust bundles) are not judged.
public struct CertificateCondition: Sendable {
    /// What is checked.
    public enum Check: Sendable, Equatable {
        /// Its validity ended.
        case expired
        /// Its validity ends within this many seconds (and has not yet).
        case expiresWithin(TimeInterval)
        /// An RSA key shorter than this many bits.
        case rsaKeyBelow(Int)
        /// Signed with SHA-1 (and not self-signed).
        case sha1Signature
        /// Out of its chain: it does not sign the certificate before it, or the file's private key is
        /// not its key.
        case chainMismatch
    }

    /// The check.
    public var check: Check

    /// Creates a certificate condition.
    public init(check: Check) { self.check = check }

    /// Files with more certificates than this are trust bundles, not a server's chain.
    static let bundleSize = 20

    /// The certificates of `file` that the condition finds at `now` (seconds since 1970).
    func hits(in file: CertificateFile, now: Double) -> [CertificateFile.Summary] {
        guard file.certificates.count <= Self.bundleSize else { return [] }
        return file.certificates.filter { certificate in
            let end = certificate.notValidAfter.timeIntervalSince1970
            switch check {
            case .expired: return end < now
            case let .expiresWithin(period): return end >= now && end - now <= period
            case let .rsaKeyBelow(bits): return !certificate.selfSigned && (certificate.rsaBits ?? Int.max) < bits
            case .sha1Signature: return !certificate.selfSigned && certificate.sha1Signature
            case .chainMismatch: return certificate.chainProblem != nil
            }
        }
    }
}
