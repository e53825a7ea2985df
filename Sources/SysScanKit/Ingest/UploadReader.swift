import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Receives the entries of an upload as `UploadReader` streams them.
protocol UploadVisitor: AnyObject {
    /// Reads (as much as it wants of) one entry that is not an archive.
    func visit(_ name: ArtifactName, stream: EntryStream)
    /// Learns of a problem; the read goes on.
    func warn(_ warning: ScanWarning)
    /// Learns that an entry was skipped for the problem just reported.
    func skippedWithWarning(_ name: ArtifactName)
}

/// Walks an upload (a folder, an archive in any format libarchive reads, or a single plain file) and
/// streams every file to a visitor; archives inside it are opened in place, to a nesting limit.
///
/// Nothing is written to disk and no entry name is ever used as a disk path.
///
/// A plain file given as the upload is a one-file upload: its one entry's path is the file's name, so its
/// kind is decided as it would be inside an archive. A file whose name says it is an archive (`.zip`,
/// `.tar.gz`, ...) but whose content is none is refused instead.
struct UploadReader {
    /// How deep archives inside the upload are opened (an archive in the upload is at depth 1).
    var maxNesting: Int = 3
    /// The size of the blocks entries are read in.
    var blockSize: Int = 64 * 1024
    /// Whether any path that is not a folder or an archive is read as one artifact named by its path as
    /// given: also an empty file, a pipe, and a file named like an archive whose content is none (which
    /// are otherwise refused).
    var plainFilesAreArtifacts = false
    /// What the upload may expand to and what it has used; when nil, each `read` meters its upload with
    /// the default budget.
    var meter: ExpansionMeter?

    /// Reads the upload at `path`.
    ///
    /// - Parameters:
    ///   - path: A folder, an archive or a plain file.
    ///   - visitor: Receives the entries.
    /// - Returns: What the upload is, for the report.
    /// - Throws: `ScanError` when the upload cannot be used at all.
    func read(_ path: String, visitor: some UploadVisitor) throws(ScanError) -> ScanReport.Input {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let name = (path as NSString).lastPathComponent
        let meter = self.meter ?? ExpansionMeter(budget: ExpansionBudget(), compressedSize: Int64(info.st_size))
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let bytes = readFolder(path, name: name, meter: meter, visitor: visitor)
            return ScanReport.Input(path: path, name: name, format: "folder", bytes: bytes)
        }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        guard regular || plainFilesAreArtifacts else {
            throw .unreadable(path: path, reason: "not a regular file or folder")
        }
        guard info.st_size > 0 || plainFilesAreArtifacts else { throw .empty(path: path) }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        let stream =
            regular
            ? EntryStream(regularFile: descriptor, size: Int(info.st_size), blockSize: blockSize)
            : EntryStream(fileDescriptor: descriptor, blockSize: blockSize)
        let prefix = stream.peek()
        let verdict = ContentSniffer.sniff(prefix)
        if verdict == .other, plainFilesAreArtifacts || !ContentSniffer.hasArchiveExtension(name) {
            let display = plainFilesAreArtifacts ? path : name
            visitor.visit(ArtifactName(display: display, entry: name, nesting: 0), stream: stream)
            if case let .damaged(message) = stream.failure {
                visitor.warn(ScanWarning(.damagedEntry, artifact: display, "\(display): read error: \(message)"))
            }
            return ScanReport.Input(path: path, name: name, format: "file", bytes: Int64(info.st_size))
        }
        if verdict == .other {
            let detail = ContentSniffer.looksBinary(prefix) ? "unknown binary content" : "its content is text"
            throw .notAnArchive(path: path, detail: detail)
        }
        let archive: ArchiveReader
        do {
            archive = try ArchiveReader.open(path: path, verdict: verdict)
        } catch {
            throw .unreadableArchive(path: path, reason: error.description)
        }
        let rawName = ContentSniffer.strippingCompressionExtension(name)
        let outcome = readArchive(
            archive, reopen: { try? ArchiveReader.open(path: path, verdict: verdict) }, display: name, entryPrefix: "",
            rawName: rawName, nesting: 0, meter: meter, visitor: visitor)
        if let failure = archive.decompressionFailure {
            // The gzip data broke off: libarchive saw its end, the inflater knows why.
            if outcome.entries == 0 { throw .unreadableArchive(path: path, reason: failure) }
            if outcome.fatal == nil {
                visitor.warn(
                    ScanWarning(
                        .truncatedArchive, artifact: name,
                        "\(name): archive broken off: \(failure); entries after it were not read"))
            }
        }
        if outcome.entries == 0, let fatal = outcome.fatal {
            throw .unreadableArchive(path: path, reason: fatal)
        }
        if let unreadable = outcome.rawUnreadable {
            throw .unreadableArchive(path: path, reason: unreadable)
        }
        return ScanReport.Input(path: path, name: name, format: archive.formatDescription, bytes: Int64(info.st_size))
    }

    // MARK: Folders

    /// Reads every regular file below `root`, in path order; returns the sum of their sizes.
    private func readFolder(
        _ root: String, name: String, meter: ExpansionMeter, visitor: some UploadVisitor
    ) -> Int64 {
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey]
        guard let enumerator = FileManager.default.enumerator(at: rootURL, includingPropertiesForKeys: keys) else {
            return 0
        }
        var files: [(relative: String, url: URL)] = []
        var total: Int64 = 0
        let rootPath = rootURL.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                values.isSymbolicLink != true
            else { continue }
            let full = url.standardizedFileURL.path
            let relative =
                full.hasPrefix(rootPath + "/") ? String(full.dropFirst(rootPath.count + 1)) : url.lastPathComponent
            files.append((relative, url))
            total += Int64(values.fileSize ?? 0)
        }
        for (relative, url) in files.sorted(by: { $0.relative < $1.relative }) {
            guard !meter.isStopped else { break }
            let artifact = ArtifactName(display: "\(name)/\(relative)", entry: relative, nesting: 0)
            let descriptor = open(url.path, O_RDONLY)
            guard descriptor >= 0 else {
                visitor.warn(
                    ScanWarning(
                        .unreadableFile, artifact: artifact.display,
                        "cannot read \(artifact.display): \(String(cString: strerror(errno)))"))
                visitor.skippedWithWarning(artifact)
                continue
            }
            var size = stat()
            let stream =
                fstat(descriptor, &size) == 0
                ? EntryStream(regularFile: descriptor, size: Int(size.st_size), blockSize: blockSize)
                : EntryStream(fileDescriptor: descriptor, blockSize: blockSize)
            if case .stopped = readEntry(stream, name: artifact, filePath: url.path, meter: meter, visitor: visitor) {
                break
            }
        }
        return total
    }

    // MARK: Archives

    private struct ArchiveOutcome {
        var entries = 0
        var fatal: String?
        /// A single compressed file whose data could not be decompressed at all.
        var rawUnreadable: String?
    }

    /// Reads every entry of `archive`; returns how many were read and the fatal error that stopped it.
    ///
    /// When an entry's data is damaged beyond what libarchive can go on from, and the archive can be
    /// opened again (`reopen`: an archive file, whose zip central directory or headers can be re-read),
    /// the archive is reopened and read on from the entry after the damaged one.
    private func readArchive(
        _ first: ArchiveReader, reopen: (() -> ArchiveReader?)?, display: String,
        entryPrefix: String, rawName: String, nesting: Int, meter: ExpansionMeter, visitor: some UploadVisitor
    ) -> ArchiveOutcome {
        var archive = first
        var outcome = ArchiveOutcome()
        var consecutiveFailures = 0
        var headersRead = 0
        var reopens = 0
        var lastEntry: String?
        while !meter.isStopped {
            switch archive.nextEntry() {
            case .end:
                return outcome
            case let .fatal(message):
                outcome.fatal = message
                if outcome.entries > 0 || nesting > 0 {
                    let after = lastEntry.map { " after entry '\($0)'" } ?? ""
                    visitor.warn(
                        ScanWarning(
                            .truncatedArchive, artifact: display,
                            "\(display): archive broken off\(after): \(message); entries after it were not read"))
                }
                return outcome
            case let .failed(message):
                consecutiveFailures += 1
                visitor.warn(
                    ScanWarning(
                        .damagedEntry, artifact: display, "\(display): a damaged entry header was skipped: \(message)"))
                if consecutiveFailures >= 16 {
                    outcome.fatal = message
                    return outcome
                }
            case let .entry(entry, warning):
                consecutiveFailures = 0
                headersRead += 1
                outcome.entries += 1
                guard meter.admitEntry() else {
                    let entryName = archive.isRaw ? display : "\(display)!/\(Self.cleaned(entry.path))"
                    visitor.warn(
                        ScanWarning(
                            .entryBudget, artifact: entryName,
                            "\(entryName): the upload holds more than \(meter.budget.maxEntries) entries, its budget; this entry and the rest of the upload were not read"
                        ))
                    return outcome
                }
                if archive.isRaw, !archive.isDecompressing {
                    // Compression magic, but no filter could decode it: the bytes are not a usable stream.
                    outcome.rawUnreadable = "the compressed data cannot be decoded"
                    outcome.fatal = outcome.rawUnreadable
                    return outcome
                }
                guard entry.isRegularFile else { continue }
                let inner = archive.isRaw ? rawName : Self.cleaned(entry.path)
                lastEntry = inner
                let name =
                    archive.isRaw
                    ? ArtifactName(display: display, entry: entryPrefix + inner, nesting: nesting)
                    : ArtifactName(display: "\(display)!/\(inner)", entry: entryPrefix + inner, nesting: nesting)
                if let warning {
                    visitor.warn(ScanWarning(.damagedEntry, artifact: name.display, "\(name.display): \(warning)"))
                }
                if Self.escapesRoot(entry.path) {
                    visitor.warn(
                        ScanWarning(
                            .unsafeEntryName, artifact: name.display,
                            "\(name.display): entry name points outside the upload; read in memory under the name given"
                        ))
                }
                if entry.isEncrypted {
                    visitor.warn(
                        ScanWarning(
                            .encryptedEntry, artifact: name.display, "\(name.display): entry is encrypted; skipped"))
                    visitor.skippedWithWarning(name)
                    continue
                }
                let stream = EntryStream(archive: archive, blockSize: blockSize, meter: meter)
                let entryOutcome = readEntry(stream, name: name, filePath: nil, meter: meter, visitor: visitor)
                if case .overBudget = stream.failure, archive.isStreamCompressed, let size = entry.size,
                    !meter.chargeSkip(size - stream.bytesRead)
                {
                    visitor.warn(
                        ScanWarning(.expansionBudget, artifact: name.display, meter.uploadStopMessage(name.display)))
                    return outcome
                }
                if case .stopped = entryOutcome { return outcome }
                if archive.isRaw, stream.bytesRead == 0, let failure = stream.failure {
                    switch failure {
                    case let .damaged(message), let .fatal(message): outcome.rawUnreadable = message
                    case .overBudget, .uploadStopped: break
                    }
                }
                if case let .fatal(message) = entryOutcome {
                    if let reopen, reopens < 16, let reopened = reopen(), Self.skip(headersRead, in: reopened) {
                        reopens += 1
                        archive = reopened
                        visitor.warn(
                            ScanWarning(
                                .damagedEntry, artifact: name.display,
                                "\(name.display): entry is damaged, read up to the damage: \(message); the scan goes on with the next entry"
                            ))
                        continue
                    }
                    outcome.fatal = message
                    visitor.warn(
                        ScanWarning(
                            .truncatedArchive, artifact: display,
                            "\(display): archive broken off in entry '\(inner)': \(message); entries after it were not read"
                        ))
                    return outcome
                }
            }
        }
        return outcome
    }

    /// Reads `count` headers of a freshly opened archive without their data; false if it cannot.
    private static func skip(_ count: Int, in archive: ArchiveReader) -> Bool {
        for _ in 0..<count {
            guard case .entry = archive.nextEntry() else { return false }
        }
        return true
    }

    private enum EntryOutcome {
        case done
        case fatal(String)
        /// The rest of the upload is not read (a budget or the time ran out).
        case stopped
    }

    /// Reads one entry: opens it as an archive when it is one, else hands it to the visitor.
    private func readEntry(
        _ stream: EntryStream, name: ArtifactName, filePath: String?, meter: ExpansionMeter,
        visitor: some UploadVisitor
    ) -> EntryOutcome {
        let prefix = stream.peek()
        let verdict = ContentSniffer.sniff(prefix)
        if stream.failure == nil, verdict != .other, !ContentSniffer.isJavaArchive(name.entry) {
            guard name.nesting < maxNesting else {
                visitor.warn(
                    ScanWarning(
                        .nestingTooDeep, artifact: name.display,
                        "\(name.display): archive nested deeper than \(maxNesting) levels; not opened"))
                visitor.skippedWithWarning(name)
                return .done
            }
            do {
                let nested =
                    if let filePath {
                        try ArchiveReader.open(path: filePath, verdict: verdict)
                    } else {
                        try ArchiveReader(
                            source: ArchiveReader.Source(next: { stream.next() }), allowRaw: verdict.isCompressedOnly)
                    }
                let reopen: (() -> ArchiveReader?)? = filePath.map { path in
                    { try? ArchiveReader.open(path: path, verdict: verdict) }
                }
                let entryName = (name.entry as NSString).lastPathComponent
                let outcome = readArchive(
                    nested, reopen: reopen, display: name.display, entryPrefix: name.entry + "!/",
                    rawName: ContentSniffer.strippingCompressionExtension(entryName), nesting: name.nesting + 1,
                    meter: meter, visitor: visitor)
                if outcome.entries == 0 || outcome.rawUnreadable != nil, let fatal = outcome.fatal {
                    visitor.warn(
                        ScanWarning(
                            .damagedEntry, artifact: name.display,
                            "\(name.display): nested archive cannot be read: \(fatal)"))
                    visitor.skippedWithWarning(name)
                }
            } catch {
                visitor.warn(
                    ScanWarning(
                        .damagedEntry, artifact: name.display,
                        "\(name.display): nested archive cannot be opened: \(error)"))
                visitor.skippedWithWarning(name)
            }
            let outcome = propagate(stream.failure, name: name, meter: meter, visitor: visitor, reported: true)
            return meter.isStopped ? .stopped : outcome
        }
        visitor.visit(name, stream: stream)
        let outcome = propagate(stream.failure, name: name, meter: meter, visitor: visitor, reported: false)
        return meter.isStopped ? .stopped : outcome
    }

    private func propagate(
        _ failure: EntryStream.Failure?, name: ArtifactName, meter: ExpansionMeter, visitor: some UploadVisitor,
        reported: Bool
    ) -> EntryOutcome {
        switch failure {
        case let .overBudget(message):
            visitor.warn(ScanWarning(.expansionBudget, artifact: name.display, "\(name.display): \(message)"))
            return .done
        case .uploadStopped:
            if meter.stop == .expansion {
                visitor.warn(
                    ScanWarning(.expansionBudget, artifact: name.display, meter.uploadStopMessage(name.display)))
            }
            return .stopped
        case nil: return .done
        case let .damaged(message):
            if !reported {
                visitor.warn(
                    ScanWarning(
                        .damagedEntry, artifact: name.display,
                        "\(name.display): entry is damaged, read up to the damage: \(message)"))
            }
            return .done
        case let .fatal(message): return .fatal(message)
        }
    }

    /// An entry name without a leading `./`.
    private static func cleaned(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return path.isEmpty ? "." : String(path)
    }

    /// Whether an entry name is absolute or climbs out of the upload with `..`.
    static func escapesRoot(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            let slash = UInt8(ascii: "/")
            let backslash = UInt8(ascii: "\\")
            let dot = UInt8(ascii: ".")
            guard let first = bytes.first else { return false }
            if first == slash || first == backslash { return true }
            if bytes.count >= 2, bytes[1] == UInt8(ascii: ":") { return true }
            // Only a `..` part can leave the root: paths without two dots in a row are skipped at once.
            guard bytes.indices.dropLast().contains(where: { bytes[$0] == dot && bytes[$0 + 1] == dot }) else {
                return false
            }
            var depth = 0
            var start = 0
            for index in 0...bytes.count
            where index == bytes.count || bytes[index] == slash || bytes[index] == backslash {
                let length = index - start
                if length == 2, bytes[start] == dot, bytes[start + 1] == dot {
                    depth -= 1
                    if depth < 0 { return true }
                } else if length > 0, !(length == 1 && bytes[start] == dot) {
                    depth += 1
                }
                start = index + 1
            }
            return false
        }
    }
}
