import Foundation

/// One upload taken by a worker: its folder under `processing/` (named `host#pid#id`, so that its owner
/// is never unknown), the upload's name, and whether its sidecar came with it.
///
/// The folder holds a manifest (`.sysscan-claim`) written before the upload is moved in, so that a
/// claim interrupted at any instant can be completed: the id is the key by which the store records the
/// claim's outcome exactly once, and it stays the same when another worker takes the claim over.
struct SpoolClaim: Codable, Sendable {
    /// The manifest's file name inside the claim folder (and, after filing, inside `done/` or `failed/`).
    static let manifestName = ".sysscan-claim"

    /// The claim's id (a UUID), stable across take-overs.
    var id: String
    /// The upload's name, as it was in `incoming/`.
    var upload: String
    /// Whether the upload's sidecar (`NAME.properties`) goes with it.
    var sidecar: Bool
    /// `upload`, or `sidecar` for a sidecar filed on its own (orphan or late).
    var kind: String = "upload"
    /// When it was claimed (seconds since 1970).
    var claimedAt: TimeInterval

    /// The claim folder's path (not stored).
    var folder: String = ""

    enum CodingKeys: String, CodingKey {
        case id, upload, sidecar, kind
        case claimedAt = "claimed_at"
    }

    /// The upload's path inside the claim folder.
    var uploadPath: String { (folder as NSString).appendingPathComponent(upload) }
    /// The sidecar's path inside the claim folder.
    var sidecarPath: String { (folder as NSString).appendingPathComponent(upload + ".properties") }

    /// The claim folder's name for a worker of this host and process.
    static func folderName(id: String) -> String {
        "\(ProcessInfo.processInfo.hostName)#\(getpid())#\(id)"
    }

    /// The host, process id and claim id a claim folder's name states, if it has that shape.
    static func owner(ofFolder name: String) -> (host: String, pid: Int32, id: String)? {
        let parts = name.split(separator: "#", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[1]), !parts[2].isEmpty else { return nil }
        return (String(parts[0]), pid, String(parts[2]))
    }

    /// Writes the manifest into the claim folder.
    func writeManifest() throws(SpoolFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try SpoolFiles.write(text + "\n", to: folder, name: Self.manifestName)
    }

    /// Reads the manifest of the claim folder `folder`; nil when there is none or it cannot be read.
    static func read(folder: String) -> SpoolClaim? {
        let path = (folder as NSString).appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: path),
            var claim = try? JSONDecoder().decode(SpoolClaim.self, from: data)
        else { return nil }
        claim.folder = folder
        return claim
    }
}
