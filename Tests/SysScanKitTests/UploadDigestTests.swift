import Foundation
import Testing

@testable import SysScanKit

/// The SHA-256 by which the spool recognises an upload: `sha256sum`'s for a file, and for a folder the digest that
/// the scan histories already hold.
struct UploadDigestTests {
    /// `count` bytes that repeat only every 251 bytes, so that a misplaced block would change the digest.
    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) % 251 }
    }

    /// What `sha256sum` prints for `path`.
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test(arguments: [0, 1, 64 << 10 + 1, UploadDigest.readSize - 1, UploadDigest.readSize + 1, 3 << 20 + 5])
    func aFileDigestEqualsSha256sum(size: Int) throws {
        let file = try Fixtures.temporaryFolder().appendingPathComponent("upload.tgz")
        try Data(Self.bytes(size)).write(to: file)
        let digest = try #require(UploadDigest.sha256(path: file.path))
        #expect(digest == (try Self.sha256sum(file.path)))
        #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) })
    }

    /// The digests of the folders below are those the former hand-written SHA-256 gave.
    ///
    /// The expected values were made by `SHA256.of(path:)`, the implementation swift-crypto replaced, on these folders
    /// before it was removed, and agree with `sha256sum` over the concatenation, for each file in path order, of its
    /// path with the folder's path cut off and its bytes:
    /// `(cd fixed; for f in a.txt b/c.log b/d/empty "z é.txt"; do printf '/%s' "$f"; cat "$f"; done) | sha256sum`
    /// (without the `/` for the folder named with a trailing slash). Stored histories hold digests made that way, so a
    /// change here would make the spool scan again every upload it has already seen.
    @Test func aFolderDigestIsTheOneStoredHistoriesHold() throws {
        let root = try Fixtures.temporaryFolder()
        let fixed = root.appendingPathComponent("fixed")
        let files: [String: [UInt8]] = [
            "a.txt": Array("alpha\n".utf8),
            "b/c.log": Array(
                "2026-11-20 10:15:30,123 SEVERE [exec-1] java.lang.OutOfMemoryError: Java heap space\n".utf8),
            "b/d/empty": [],
            "z \u{E9}.txt": (0..<70_000).map { UInt8($0 % 251) },
        ]
        for (path, bytes) in files {
            let url = fixed.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let one = root.appendingPathComponent("one")
        try FileManager.default.createDirectory(at: one, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: one.appendingPathComponent("only.txt"))
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)

        #expect(
            UploadDigest.sha256(path: fixed.path) == "1f301cc1d69521501b481cb11b05a40312f262f6a1bf862469c10cde5b01a2ef")
        #expect(
            UploadDigest.sha256(path: fixed.path + "/")
                == "63e5130470ccf3d1457eb66ed192207395f086547d78d5721ab3a8e6e3a64b6e")
        // A folder of one file: its name is hashed too, unlike a file given alone.
        #expect(
            UploadDigest.sha256(path: one.path) == "a5ef3d2a76e759d04e3348280426a1b09d98d9a377b873c28567c6b96d077e1e")
        #expect(
            UploadDigest.sha256(path: empty.path) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SpoolTools.sha256(fixed.path) == UploadDigest.sha256(path: fixed.path))
    }

    @Test func anUnreadableUploadHasNoDigest() throws {
        let root = try Fixtures.temporaryFolder()
        #expect(UploadDigest.sha256(path: root.appendingPathComponent("missing.tgz").path) == nil)
    }
}
