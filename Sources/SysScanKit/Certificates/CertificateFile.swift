import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The X.509 certificates of a PEM or DER file of an upload (httpd's `SSLCertificateFile`, Tomcat's
/// `certificateFile`, `*.pem`/`*.crt`), read with swift-certificates: what certificate rules look at.
struct CertificateFile: Sendable {
    /// One certificate, as the rules see it.
    struct Summary: Sendable {
        /// Its position in the file, from 0 (a chain file starts with the server's own certificate).
        var index: Int
        /// The line of its `-----BEGIN CERTIFICATE-----`, from 1; nil in a DER file.
        var line: Int?
        var subject: String
        var issuer: String
        var notValidBefore: Date
        var notValidAfter: Date
        /// The RSA key size in bits; nil for another key type.
        var rsaBits: Int?
        /// Whether it is signed with SHA-1.
        var sha1Signature: Bool
        /// Whether it signed itself (a root).
        var selfSigned: Bool { subject == issuer }
        /// Its public key (nil when read from the DER structure alone).
        var publicKey: Certificate.PublicKey?
        /// What is wrong with its place in the file's chain: it does not sign the one before it, or the
        /// file's private key is not its key.
        var chainProblem: String?
    }

    /// The certificates, in file order.
    private(set) var certificates: [Summary] = []
    /// Why blocks of the file could not be read (a warning each).
    private(set) var problems: [String] = []
    /// The file's private key block, if it holds one (a combined PEM).
    private var keyPEM: String?

    /// Reads the certificates of a PEM (any number of `CERTIFICATE` blocks; keys and other blocks are
    /// skipped) or DER (one certificate) file.
    init(bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN ") else {
            do {
                certificates.append(Self.summary(try Certificate(derEncoded: bytes), index: 0, line: nil))
            } catch {
                problems.append("not a PEM file nor a DER certificate: \(error)")
            }
            return
        }
        var lineNumber = 0
        var block: [Substring] = []
        var blockLine = 0
        var inCertificate = false
        var inKey = false
        var keyBlock: [Substring] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("PRIVATE KEY-----") {
                inKey = true
                keyBlock = [Substring(trimmed)]
                continue
            }
            if inKey {
                keyBlock.append(Substring(trimmed))
                if trimmed.hasPrefix("-----END ") {
                    inKey = false
                    keyPEM = keyBlock.joined(separator: "\n")
                }
                continue
            }
            if trimmed == "-----BEGIN CERTIFICATE-----" {
                inCertificate = true
                blockLine = lineNumber
                block = [Substring(trimmed)]
            } else if inCertificate {
                block.append(Substring(trimmed))
                if trimmed == "-----END CERTIFICATE-----" {
                    inCertificate = false
                    let pem = block.joined(separator: "\n")
                    do {
                        let certificate = try Certificate(pemEncoded: pem)
                        certificates.append(Self.summary(certificate, index: certificates.count, line: blockLine))
                    } catch {
                        // swift-certificates refuses RSA keys below 2048 bits: read such a certificate's
                        // fields from its DER structure instead.
                        if let weak = Self.weakRSASummary(pem: pem, index: certificates.count, line: blockLine) {
                            certificates.append(weak)
                        } else {
                            problems.append("line \(blockLine): the certificate cannot be read: \(error)")
                        }
                    }
                }
            }
        }
        checkChain()
    }

    /// The summary of a certificate whose RSA key is too short for swift-certificates: subject, issuer
    /// and validity from the DER structure (RFC 5280 4.1), the key size from the modulus.
    static func weakRSASummary(pem: String, index: Int, line: Int?) -> Summary? {
        guard let document = try? PEMDocument(pemString: pem), let root = try? DER.parse(document.derBytes),
            let tbs = children(of: root).first
        else { return nil }
        var fields = children(of: tbs)
        if fields.first?.identifier.tagClass == .contextSpecific { fields.removeFirst() }  // [0] version
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        guard fields.count >= 6, let issuer = try? DistinguishedName(derEncoded: fields[2]),
            let subject = try? DistinguishedName(derEncoded: fields[4])
        else { return nil }
        let validity = children(of: fields[3])
        guard validity.count == 2, let start = time(validity[0]), let end = time(validity[1]) else { return nil }
        let keyInfo = children(of: fields[5])
        guard keyInfo.count == 2, case let .primitive(bits) = keyInfo[1].content, bits.count > 1,
            let key = try? DER.parse(Array(bits.dropFirst())),  // the BIT STRING's unused-bits byte first
            let modulus = children(of: key).first, case let .primitive(integer) = modulus.content
        else { return nil }
        let significant = integer.drop { $0 == 0 }
        let signature = children(of: root).dropFirst().first.map(children(of:))?.first
        let sha1 = signature.flatMap { node -> Bool? in
            guard case let .primitive(oid) = node.content else { return nil }
            return Array(oid) == [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05]  // sha1WithRSAEncryption
        }
        return Summary(
            index: index, line: line, subject: String(describing: subject), issuer: String(describing: issuer),
            notValidBefore: start, notValidAfter: end,
            rsaBits: significant.count * 8 - (significant.first.map { $0.leadingZeroBitCount } ?? 0),
            sha1Signature: sha1 ?? false)
    }

    private static func children(of node: ASN1Node) -> [ASN1Node] {
        guard case let .constructed(collection) = node.content else { return [] }
        return Array(collection)
    }

    private static func time(_ node: ASN1Node) -> Date? {
        if let utc = try? UTCTime(derEncoded: node) {
            return date(utc.year, utc.month, utc.day, utc.hours, utc.minutes, utc.seconds)
        }
        if let time = try? GeneralizedTime(derEncoded: node) {
            return date(time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        }
        return nil
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int)
        -> Date
    {
        let days = TimestampParser.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// Marks chain problems: a certificate that is not the issuer of the one before it, and a private key
    /// in the file that is not the key of its first certificate.
    private mutating func checkChain() {
        for index in certificates.indices.dropFirst()
        where certificates[index - 1].issuer != certificates[index].subject {
            certificates[index].chainProblem =
                "it does not sign the certificate before it (\(certificates[index - 1].subject) is issued by \(certificates[index - 1].issuer))"
        }
        guard let keyPEM, let first = certificates.first, let key = first.publicKey else { return }
        let matches: Bool? =
            if let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: keyPEM) {
                _RSA.Signing.PublicKey(key).map { $0.derRepresentation == rsa.publicKey.derRepresentation }
            } else if let ecdsa = try? P256.Signing.PrivateKey(pemRepresentation: keyPEM) {
                P256.Signing.PublicKey(key).map { $0.rawRepresentation == ecdsa.publicKey.rawRepresentation }
            } else if let ecdsa = try? P384.Signing.PrivateKey(pemRepresentation: keyPEM) {
                P384.Signing.PublicKey(key).map { $0.rawRepresentation == ecdsa.publicKey.rawRepresentation }
            } else {
                nil
            }
        if matches == false {
            certificates[0].chainProblem = "the private key in the file is not this certificate's key"
        }
    }

    private static func summary(_ certificate: Certificate, index: Int, line: Int?) -> Summary {
        var summary = Summary(
            index: index, line: line, subject: String(describing: certificate.subject),
            issuer: String(describing: certificate.issuer), notValidBefore: certificate.notValidBefore,
            notValidAfter: certificate.notValidAfter,
            rsaBits: _RSA.Signing.PublicKey(certificate.publicKey).map(\.keySizeInBits),
            sha1Signature: certificate.signatureAlgorithm == .sha1WithRSAEncryption)
        summary.publicKey = certificate.publicKey
        return summary
    }
}
