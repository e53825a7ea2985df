import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The history of scans in SQLite (through GRDB): systems, cases, scans and their findings with
/// evidence. WAL mode, one writer and many readers; migrations run on open.
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
        /// When the scan started and finished (ISO 8601).
        public var startedAt: String
        public var finishedAt: String
        /// `done` or `failed`.
        public var status: String
        /// Why it failed.
        public var error: String?
        /// Findings by severity.
        public var counts: [Severity: Int]
    }

    /// A finding as stored, for diffs and case views.
    public struct StoredFinding: Sendable, Hashable {
        public var rule: String
        public var title: String
        public var category: String
        public var severity: String
        public var message: String
        public var count: Int
    }

    private let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the store at `path` and migrates it.
    ///
    /// - Parameter path: The SQLite file.
    /// - Throws: `StoreError` naming the file and what is wrong.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // Two processes opening a new store at once would both create its tables: opening and migrating
        // happen under an exclusive lock on `<path>.lock`; switching to WAL may still meet the other's
        // lock, so opening also retries for a while before it gives up.
        let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o644)
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
                try Self.migrator.migrate(pool)
                self.pool = pool
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                attempt += 1
                guard attempt < 100 else { throw .unusable(path: path, reason: "\(error)") }
                usleep(50_000)
            } catch {
                throw .unusable(path: path, reason: "\(error)")
            }
        }
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
        return migrator
    }

    /// Records a finished scan with its findings and evidence, in one transaction.
    ///
    /// - Parameters:
    ///   - report: The scan's report.
    ///   - upload: The upload's file name.
    ///   - sha256: The upload's SHA-256.
    ///   - json: The JSON report, stored for `show`.
    ///   - markdown: The Markdown report, stored for `show`.
    /// - Returns: The new scan's id.
    /// - Throws: `StoreError` when the database cannot be written.
    @discardableResult
    public func record(_ report: ScanReport, upload: String, sha256: String, json: String, markdown: String) throws(StoreError) -> Int64 {
        try record(report, upload: upload, sha256: sha256, json: json, markdown: markdown, unlessKnown: false).id
    }



    /// Records a finished scan unless (with `unlessKnown`) a finished scan of the same SHA-256 exists,
    /// checked in the same transaction, so that two processes never record the same upload twice.
    ///
    /// - Returns: The scan's id, and whether it was inserted (false: the earlier scan's id).
    /// - Throws: `StoreError` when the database cannot be written.
    public func record(
        _ report: ScanReport, upload: String, sha256: String, json: String, markdown: String, unlessKnown: Bool
    ) throws(StoreError) -> (id: Int64, inserted: Bool) {
        let meta = report.metadata
        let now = Self.timestamp(Date())
        let started = Self.timestamp(report.startedAt)
        let counts = report.countsBySeverity
        return try write { db in
            if unlessKnown,
                let known = try Int64.fetchOne(
                    db, sql: "SELECT id FROM scan WHERE sha256 = ? AND status = 'done' ORDER BY id LIMIT 1", arguments: [sha256])
            {
                return (known, false)
            }
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
                    sql: "INSERT INTO supportCase (number, plan, firstSeen) VALUES (?, ?, ?) ON CONFLICT(number) DO UPDATE SET plan = coalesce(excluded.plan, plan)",
                    arguments: [number, meta.plan, now])
            }
            try db.execute(
                sql: """
                    INSERT INTO scan (upload, sha256, systemId, caseNumber, plan, environment, knowledgeBaseVersion, startedAt,
                    finishedAt, status, critical, high, medium, low, info, reportJSON, reportMarkdown, reportText)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload, sha256, meta.system, meta.supportCase, meta.plan, meta.environment, report.knowledgeBaseVersion,
                    started, now, counts[.critical] ?? 0, counts[.high] ?? 0, counts[.medium] ?? 0, counts[.low] ?? 0,
                    counts[.info] ?? 0, json, markdown, TextReport(colour: false).render(report),
                ])
            let scanID = db.lastInsertedRowID
            for finding in report.findings {
                try db.execute(
                    sql: """
                        INSERT INTO finding (scanId, rule, title, category, severity, message, count, firstSeen, lastSeen)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        scanID, finding.rule, finding.title, finding.category.rawValue, finding.severity.rawValue,
                        finding.message, finding.count, finding.firstSeen, finding.lastSeen,
                    ])
                let findingID = db.lastInsertedRowID
                for evidence in finding.evidence {
                    try db.execute(
                        sql: "INSERT INTO evidence (findingId, artifact, entry, line, text) VALUES (?, ?, ?, ?, ?)",
                        arguments: [findingID, evidence.artifact, evidence.entry, evidence.line, evidence.text])
                }
            }
            return (scanID, true)
        }
    }

    /// Records an upload that could not be scanned.
    ///
    /// - Parameters:
    ///   - upload: The upload's file name.
    ///   - sha256: Its SHA-256.
    ///   - metadata: What its name or sidecar said.
    ///   - error: Why it is unusable.
    ///   - knowledgeBaseVersion: The knowledge base's version.
    /// - Returns: The scan's id.
    /// - Throws: `StoreError` when the database cannot be written.
    @discardableResult
    public func recordFailure(
        upload: String, sha256: String, metadata: UploadMetadata, error: String, knowledgeBaseVersion: String
    ) throws(StoreError) -> Int64 {
        let now = Self.timestamp(Date())
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO scan (upload, sha256, systemId, caseNumber, knowledgeBaseVersion, startedAt, finishedAt, status, error)
                    VALUES (?, ?, NULL, ?, ?, ?, ?, 'failed', ?)
                    """, arguments: [upload, sha256, metadata.supportCase, knowledgeBaseVersion, now, now, error])
            return db.lastInsertedRowID
        }
    }

    /// The id of the finished scan of an upload with this SHA-256, if any.
    public func scanID(sha256: String) throws(StoreError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM scan WHERE sha256 = ? AND status = 'done' ORDER BY id LIMIT 1", arguments: [sha256]) }
    }

    /// Scans, newest first, optionally of one case or system.
    public func history(supportCase: String? = nil, system: String? = nil, limit: Int = 1000) throws(StoreError) -> [ScanSummary] {
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
            return try Row.fetchAll(db, sql: "SELECT * FROM scan \(whereClause) ORDER BY id DESC LIMIT \(limit)", arguments: arguments)
                .map(Self.summary)
        }
    }

    /// One scan's summary.
    public func scan(id: Int64) throws(StoreError) -> ScanSummary? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM scan WHERE id = ?", arguments: [id]).map(Self.summary) }
    }

    /// A scan's stored report in `format` (`json`, `md` or `text`).
    public func report(id: Int64, format: String) throws(StoreError) -> String? {
        let column = format == "md" ? "reportMarkdown" : format == "text" ? "reportText" : "reportJSON"
        return try read { db in try String.fetchOne(db, sql: "SELECT \(column) FROM scan WHERE id = ?", arguments: [id]) }
    }

    /// A scan's findings.
    public func findings(scanID: Int64) throws(StoreError) -> [StoredFinding] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE scanId = ? ORDER BY rule", arguments: [scanID]).map { row in
                StoredFinding(
                    rule: row["rule"], title: row["title"], category: row["category"], severity: row["severity"],
                    message: row["message"], count: row["count"])
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
        try read { db in try String.fetchOne(db, sql: "SELECT plan FROM supportCase WHERE number = ?", arguments: [number]) }
    }

    /// The environment of the newest scan of a case, if recorded.
    public func environment(ofCase number: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT environment FROM scan WHERE caseNumber = ? AND environment IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: [number])
        }
    }

    /// The number of scans recorded (for tests and summaries).
    public func scanCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scan") ?? 0 }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw .unusable(path: path, reason: "\(error)") }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw .unusable(path: path, reason: "\(error)") }
    }

    private static func summary(_ row: Row) -> ScanSummary {
        ScanSummary(
            id: row["id"], upload: row["upload"], sha256: row["sha256"], system: row["systemId"], supportCase: row["caseNumber"],
            knowledgeBaseVersion: row["knowledgeBaseVersion"], startedAt: row["startedAt"], finishedAt: row["finishedAt"],
            status: row["status"], error: row["error"],
            counts: [.critical: row["critical"], .high: row["high"], .medium: row["medium"], .low: row["low"], .info: row["info"]])
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
