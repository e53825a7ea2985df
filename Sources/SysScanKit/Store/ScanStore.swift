import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The history of scans in SQLite (through GRDB): systems, cases, scans and their findings with
/// evidence.
///
/// WAL mode, one writer and many readers; migrations run on open.
///
/// `Sendable`: one store can be shared by the spool's workers.
public final class ScanStore: Sendable {
    /// A scan as listed in the history.
    public struct ScanSummary: Sendable, Hashable {
        /// The scan's id.
        public var id: Int64
        /// The upload's file name.
        public var upload: String
        /// The upload's SHA-256, hex.
        public var sha256: String
        /// The system's id, if known.
        public var system: String?
        /// The support case, if any.
        public var supportCase: String?
        /// The knowledge base's version.
        public var knowledgeBaseVersion: String
        /// When the scan started (ISO 8601).
        public var startedAt: String
        /// When the scan finished (ISO 8601).
        public var finishedAt: String
        /// `done`, `duplicate` (the same bytes, case and system as `linkedScan`) or `failed`.
        public var status: String
        /// Why it failed.
        public var error: String?
        /// Findings by severity.
        public var counts: [Severity: Int]
        /// The earlier scan of the same bytes whose results this one reuses, if any.
        public var linkedScan: Int64? = nil
        /// The spool claim that recorded it, if any.
        public var claim: String? = nil
    }

    /// A finding as stored, for diffs and case views.
    public struct StoredFinding: Sendable, Hashable {
        /// The rule's id.
        public var rule: String
        /// The rule's title.
        public var title: String
        /// The rule's category (`Category` raw value).
        public var category: String
        /// The finding's severity (`Severity` raw value).
        public var severity: String
        /// The finding's message.
        public var message: String
        /// How many times the rule matched.
        public var count: Int
        /// The rule's status when the finding was recorded (nil in stores of older versions: stable).
        public var status: String? = nil
    }

    private let reader: any DatabaseWriter & DatabaseReader
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the store at `path` and migrates it, or, with `readOnly`, opens an
    /// existing store for reading only: a missing file is an error, and nothing is created or written
    /// (not even a lock file beside it).
    ///
    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - readOnly: Whether to open an existing store for reading only.
    /// - Throws: `StoreError` naming the file and what is wrong.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        if readOnly {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw .unusable(
                    path: path,
                    reason: errno == ENOENT
                        ? "no such file (no scan has been recorded there)" : String(cString: strerror(errno)))
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unusable(path: path, reason: "not a regular file") }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(30)
            do {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                let complete = try queue.read { db in
                    guard try db.tableExists("scan") else {
                        throw StoreError.unusable(path: path, reason: "not a SysScan history (no scan table)")
                    }
                    return try Self.migrator.hasCompletedMigrations(db)
                }
                if !complete {
                    // An older schema: upgrade it when the file can be written, else read it as it is.
                    if access(path, W_OK) == 0, let upgraded = try? Self.openWritable(path: path) {
                        self.reader = upgraded
                        return
                    }
                }
                self.reader = queue
            } catch let error as StoreError {
                throw error
            } catch {
                throw .unusable(path: path, reason: Self.describe(error))
            }
            return
        }
        reader = try Self.openWritable(path: path)
    }

    private static func openWritable(path: String) throws(StoreError) -> DatabasePool {
        // A file that exists and is no SQLite database is refused before anything is created beside it.
        if let handle = FileHandle(forReadingAtPath: path) {
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            if !header.isEmpty, header != Data("SQLite format 3\u{0}".utf8) {
                throw .unusable(path: path, reason: "file is not a database (not a SQLite file)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // Two processes opening a new store at once would both create its tables: opening and migrating
        // happen under an exclusive lock on `<path>.lock`; switching to WAL may still meet the other's
        // lock, so opening also retries for a while before it gives up.
        let lock = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                _ = flock(lock, LOCK_UN)
                close(lock)
            }
        }
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            {
                attempt += 1
                guard attempt < 100 else { throw .unusable(path: path, reason: describe(error)) }
                usleep(50_000)
            } catch {
                throw .unusable(path: path, reason: describe(error))
            }
        }
    }

    /// SQLite's own words for an error, without the statement GRDB adds.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message.map { "\($0) (SQLite error \(error.extendedResultCode.rawValue))" } ?? "\(error)"
        }
        return "\(error)"
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "system") { t in
                t.primaryKey("id", .text)
                t.column("host", .text)
                t.column("product", .text)
                t.column("version", .text)
                t.column("firstSeen", .text).notNull()
                t.column("lastSeen", .text).notNull()
            }
            try db.create(table: "supportCase") { t in
                t.primaryKey("number", .text)
                t.column("plan", .text)
                t.column("firstSeen", .text).notNull()
            }
            try db.create(table: "scan") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("upload", .text).notNull()
                t.column("sha256", .text).notNull().indexed()
                t.column("systemId", .text).indexed().references("system")
                t.column("caseNumber", .text).indexed().references("supportCase")
                t.column("plan", .text)
                t.column("environment", .text)
                t.column("knowledgeBaseVersion", .text).notNull()
                t.column("startedAt", .text).notNull()
                t.column("finishedAt", .text).notNull()
                t.column("status", .text).notNull()
                t.column("error", .text)
                t.column("critical", .integer).notNull().defaults(to: 0)
                t.column("high", .integer).notNull().defaults(to: 0)
                t.column("medium", .integer).notNull().defaults(to: 0)
                t.column("low", .integer).notNull().defaults(to: 0)
                t.column("info", .integer).notNull().defaults(to: 0)
                t.column("reportJSON", .text)
                t.column("reportMarkdown", .text)
                t.column("reportText", .text)
            }
            try db.create(table: "finding") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scanId", .integer).notNull().indexed().references("scan", onDelete: .cascade)
                t.column("rule", .text).notNull().indexed()
                t.column("title", .text).notNull()
                t.column("category", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("message", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("firstSeen", .text)
                t.column("lastSeen", .text)
            }
            try db.create(table: "evidence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("findingId", .integer).notNull().indexed().references("finding", onDelete: .cascade)
                t.column("artifact", .text).notNull()
                t.column("entry", .text).notNull()
                t.column("line", .integer)
                t.column("text", .text).notNull()
            }
        }
        migrator.registerMigration("v2") { db in
            // Claims make spool records idempotent; linked scans reuse the results of the same bytes;
            // the report itself is kept so that it can be rendered again in any format.
            try db.alter(table: "scan") { t in
                t.add(column: "claim", .text)
                t.add(column: "linkedScanId", .integer)
                t.add(column: "reportData", .blob)
            }
            try db.create(
                index: "scan_claim", on: "scan", columns: ["claim"], unique: true, condition: Column("claim") != nil)
        }
        migrator.registerMigration("v3") { db in
            // A finding of an experimental rule does not drive the suggested case severity.
            try db.alter(table: "finding") { t in t.add(column: "status", .text) }
        }
        return migrator
    }

    /// How a scan is recorded.
    public enum Kind: Sendable, Equatable {
        /// A scan of its own.
        case scanned
        /// The results of the earlier scan `of` (the same bytes), for this upload's case and system.
        case linked(of: Int64)
        /// The same bytes, case and system as the earlier scan `of`: nothing new, recorded as such.
        case duplicate(of: Int64)
    }

    /// What `record` did.
    public struct Recorded: Sendable, Equatable {
        /// The scan's id.
        public var id: Int64
        /// `done` or `duplicate`.
        public var status: String
        /// The scan whose results it reuses, if any.
        public var linkedScan: Int64?
        /// False when the claim was recorded before (after a crash), and that record is returned.
        public var inserted: Bool
    }

    /// Records a finished scan with its findings and evidence, in one transaction.
    ///
    /// - Parameters:
    ///   - report: The scan's report.
    ///   - upload: The upload's file name.
    ///   - sha256: The upload's SHA-256.
    /// - Returns: The new scan's id.
    /// - Throws: `StoreError` when the database cannot be written.
    @discardableResult
    public func record(_ report: ScanReport, upload: String, sha256: String) throws(StoreError) -> Int64 {
        try record(report, upload: upload, sha256: sha256, kind: .scanned, claim: nil).id
    }

    /// Records a scan in one transaction, exactly once per claim: when `claim` was recorded before (a
    /// worker died after recording), that record is returned and nothing is written.
    ///
    /// A `.scanned` scan whose bytes, case and system equal an existing finished scan (another process
    /// recorded them meanwhile) is recorded as a duplicate of it, decided inside the same transaction.
    ///
    /// - Parameters:
    ///   - report: The scan's report (its metadata gives the case and system).
    ///   - upload: The upload's file name.
    ///   - sha256: The upload's SHA-256.
    ///   - kind: A scan of its own, a linked scan or a duplicate.
    ///   - claim: The spool claim, or nil for a scan from the command line.
    ///   - detectDuplicates: Whether a `.scanned` scan may become a duplicate (off with `--rescan`).
    /// - Returns: What was recorded.
    /// - Throws: `StoreError` when the database cannot be written.
    public func record(
        _ report: ScanReport, upload: String, sha256: String, kind: Kind, claim: String?, detectDuplicates: Bool = false
    ) throws(StoreError) -> Recorded {
        let meta = report.metadata
        let now = Self.timestamp(Date())
        let started = Self.timestamp(report.startedAt)
        let counts = report.countsBySeverity
        let data = try? JSONEncoder().encode(report)
        return try write { db in
            if let claim,
                let known = try Row.fetchOne(
                    db, sql: "SELECT id, status, linkedScanId FROM scan WHERE claim = ?", arguments: [claim])
            {
                return Recorded(
                    id: known["id"], status: known["status"], linkedScan: known["linkedScanId"], inserted: false)
            }
            var kind = kind
            if detectDuplicates, !Self.isDuplicate(kind),
                let known = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM scan WHERE sha256 = ? AND status = 'done' AND systemId IS ? AND caseNumber IS ?
                        AND knowledgeBaseVersion = ? ORDER BY id LIMIT 1
                        """, arguments: [sha256, meta.system, meta.supportCase, report.knowledgeBaseVersion])
            {
                kind = .duplicate(of: known)
            }
            try Self.upsertSystemAndCase(db, metadata: meta, now: now)
            let status: String
            let linked: Int64?
            switch kind {
            case .scanned: (status, linked) = ("done", nil)
            case let .linked(of): (status, linked) = ("done", of)
            case let .duplicate(of): (status, linked) = ("duplicate", of)
            }
            let withFindings = status == "done"
            try db.execute(
                sql: """
                    INSERT INTO scan (upload, sha256, systemId, caseNumber, plan, environment, knowledgeBaseVersion, startedAt,
                    finishedAt, status, critical, high, medium, low, info, reportJSON, reportMarkdown, reportText, claim,
                    linkedScanId, reportData)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload, sha256, meta.system, meta.supportCase, meta.plan, meta.environment,
                    report.knowledgeBaseVersion,
                    started, now, status, counts[.critical] ?? 0, counts[.high] ?? 0, counts[.medium] ?? 0,
                    counts[.low] ?? 0,
                    counts[.info] ?? 0, JSONReport.render(report), MarkdownReport.render(report),
                    TextReport(colour: false).render(report), claim, linked, data,
                ])
            let scanID = db.lastInsertedRowID
            if withFindings {
                for finding in report.findings {
                    try db.execute(
                        sql: """
                            INSERT INTO finding (scanId, rule, title, category, severity, message, count, firstSeen, lastSeen,
                                status)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            scanID, finding.rule, finding.title, finding.category.rawValue, finding.severity.rawValue,
                            finding.message, finding.count, finding.firstSeen, finding.lastSeen,
                            finding.status?.rawValue,
                        ])
                    let findingID = db.lastInsertedRowID
                    for evidence in finding.evidence {
                        try db.execute(
                            sql: "INSERT INTO evidence (findingId, artifact, entry, line, text) VALUES (?, ?, ?, ?, ?)",
                            arguments: [findingID, evidence.artifact, evidence.entry, evidence.line, evidence.text])
                    }
                }
            }
            return Recorded(id: scanID, status: status, linkedScan: linked, inserted: true)
        }
    }

    private static func isDuplicate(_ kind: Kind) -> Bool {
        if case .duplicate = kind { return true }
        return false
    }

    private static func upsertSystemAndCase(_ db: Database, metadata meta: UploadMetadata, now: String) throws {
        if let system = meta.system {
            try db.execute(
                sql: """
                    INSERT INTO system (id, host, product, version, firstSeen, lastSeen) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET host = coalesce(excluded.host, host),
                    product = coalesce(excluded.product, product), version = coalesce(excluded.version, version),
                    lastSeen = excluded.lastSeen
                    """, arguments: [system, meta.host, meta.product, meta.version, now, now])
        }
        if let number = meta.supportCase {
            try db.execute(
                sql:
                    "INSERT INTO supportCase (number, plan, firstSeen) VALUES (?, ?, ?) ON CONFLICT(number) DO UPDATE SET plan = coalesce(excluded.plan, plan)",
                arguments: [number, meta.plan, now])
        }
    }

    /// Records an upload that could not be scanned, exactly once per claim (a claim recorded before
    /// returns that record's id).
    ///
    /// Its case and system are recorded whether or not the store knew them.
    ///
    /// - Parameters:
    ///   - upload: The upload's file name.
    ///   - sha256: Its SHA-256.
    ///   - metadata: What its name or sidecar said.
    ///   - error: Why it is unusable.
    ///   - knowledgeBaseVersion: The knowledge base's version.
    ///   - claim: The spool claim, if any.
    /// - Returns: The scan's id.
    /// - Throws: `StoreError` when the database cannot be written.
    @discardableResult
    public func recordFailure(
        upload: String, sha256: String, metadata: UploadMetadata, error: String, knowledgeBaseVersion: String,
        claim: String? = nil
    ) throws(StoreError) -> Int64 {
        let now = Self.timestamp(Date())
        var metadata = metadata
        if let number = metadata.supportCase, !CaseNumber.isValid(number) { metadata.supportCase = nil }
        return try write { db in
            if let claim,
                let known = try Int64.fetchOne(db, sql: "SELECT id FROM scan WHERE claim = ?", arguments: [claim])
            {
                return known
            }
            try Self.upsertSystemAndCase(db, metadata: metadata, now: now)
            try db.execute(
                sql: """
                    INSERT INTO scan (upload, sha256, systemId, caseNumber, plan, environment, knowledgeBaseVersion, startedAt,
                    finishedAt, status, error, claim)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?)
                    """,
                arguments: [
                    upload, sha256, metadata.system, metadata.supportCase, metadata.plan, metadata.environment,
                    knowledgeBaseVersion,
                    now, now, error, claim,
                ])
            return db.lastInsertedRowID
        }
    }

    /// What was recorded for a spool claim, if anything.
    public func scan(claim: String) throws(StoreError) -> ScanSummary? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM scan WHERE claim = ?", arguments: [claim]).map(Self.summary)
        }
    }

    /// The newest finished scan of its own (not linked) of these bytes, if any.
    public func latestScan(sha256: String) throws(StoreError) -> ScanSummary? {
        try read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT * FROM scan WHERE sha256 = ? AND status = 'done' AND linkedScanId IS NULL ORDER BY id DESC LIMIT 1",
                arguments: [sha256]
            ).map(Self.summary)
        }
    }

    /// A scan's report as recorded, to render again or to give another upload of the same bytes; nil when
    /// the scan has none (failed, or recorded by an older version).
    public func storedReport(id: Int64) throws(StoreError) -> ScanReport? {
        let data: Data? = try read { db in
            guard try db.columns(in: "scan").contains(where: { $0.name == "reportData" }) else { return nil }
            return try Data.fetchOne(db, sql: "SELECT reportData FROM scan WHERE id = ?", arguments: [id])
        }
        guard let data else { return nil }
        return try? JSONDecoder().decode(ScanReport.self, from: data)
    }

    /// The id of the finished scan of an upload with this SHA-256, if any.
    public func scanID(sha256: String) throws(StoreError) -> Int64? {
        try read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM scan WHERE sha256 = ? AND status = 'done' ORDER BY id LIMIT 1",
                arguments: [sha256])
        }
    }

    /// Scans, newest first, optionally of one case or system.
    public func history(supportCase: String? = nil, system: String? = nil, limit: Int = 1000) throws(StoreError)
        -> [ScanSummary]
    {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let supportCase {
                conditions.append("caseNumber = ?")
                _ = arguments.append(contentsOf: [supportCase])
            }
            if let system {
                conditions.append("systemId = ?")
                _ = arguments.append(contentsOf: [system])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM scan \(whereClause) ORDER BY id DESC LIMIT \(limit)", arguments: arguments
            )
            .map(Self.summary)
        }
    }

    /// One scan's summary.
    public func scan(id: Int64) throws(StoreError) -> ScanSummary? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM scan WHERE id = ?", arguments: [id]).map(Self.summary)
        }
    }

    /// A scan's stored report in `format` (`json`, `md`, `text` or `html`).
    ///
    /// HTML is rendered from the recorded report (scans recorded by older versions have none).
    public func report(id: Int64, format: String) throws(StoreError) -> String? {
        if format == "html" { return try storedReport(id: id).map(HTMLReport.render) }
        let column = format == "md" ? "reportMarkdown" : format == "text" ? "reportText" : "reportJSON"
        return try read { db in try String.fetchOne(db, sql: "SELECT \(column) FROM scan WHERE id = ?", arguments: [id])
        }
    }

    /// A scan's findings.
    public func findings(scanID: Int64) throws(StoreError) -> [StoredFinding] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE scanId = ? ORDER BY rule", arguments: [scanID]).map {
                row in
                StoredFinding(
                    rule: row["rule"], title: row["title"], category: row["category"], severity: row["severity"],
                    message: row["message"], count: row["count"], status: row["status"])
            }
        }
    }

    /// The scan of the same system just before `id`, if any.
    public func previousScan(before id: Int64) throws(StoreError) -> Int64? {
        try read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT previous.id FROM scan AS current JOIN scan AS previous
                    ON previous.systemId = current.systemId AND previous.id < current.id AND previous.status = 'done'
                    WHERE current.id = ? ORDER BY previous.id DESC LIMIT 1
                    """, arguments: [id])
        }
    }

    /// The plan recorded for a case, if any.
    public func plan(ofCase number: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT plan FROM supportCase WHERE number = ?", arguments: [number])
        }
    }

    /// The environment of the newest scan of a case, if recorded.
    public func environment(ofCase number: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql:
                    "SELECT environment FROM scan WHERE caseNumber = ? AND environment IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: [number])
        }
    }

    /// The number of scans recorded (for tests and summaries).
    public func scanCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scan") ?? 0 }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try reader.write(body) } catch { throw .unusable(path: path, reason: Self.describe(error)) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try reader.read(body) } catch let error as StoreError { throw error } catch {
            throw .unusable(path: path, reason: Self.describe(error))
        }
    }

    private static func summary(_ row: Row) -> ScanSummary {
        ScanSummary(
            id: row["id"], upload: row["upload"], sha256: row["sha256"], system: row["systemId"],
            supportCase: row["caseNumber"],
            knowledgeBaseVersion: row["knowledgeBaseVersion"], startedAt: row["startedAt"],
            finishedAt: row["finishedAt"],
            status: row["status"], error: row["error"],
            counts: [
                .critical: row["critical"], .high: row["high"], .medium: row["medium"], .low: row["low"],
                .info: row["info"],
            ],
            linkedScan: row.hasColumn("linkedScanId") ? row["linkedScanId"] : nil,
            claim: row.hasColumn("claim") ? row["claim"] : nil)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// Why the scan store cannot be used.
public enum StoreError: Error, CustomStringConvertible {
    /// The database cannot be opened, migrated, read or written.
    case unusable(path: String, reason: String)

    /// A message naming the database file and what is wrong.
    public var description: String {
        switch self {
        case let .unusable(path, reason): "scan store \(path): \(reason)"
        }
    }
}

extension ScanStore {
    /// The version of the SQLite library in use, as it reports it at run time (`3.40.1`).
    static var sqliteVersion: String {
        let number = Int(Database.sqliteLibVersionNumber)
        return "\(number / 1_000_000).\(number / 1000 % 1000).\(number % 1000)"
    }
}
