import Foundation
import Yams

/// Local adjustments to findings that live outside the knowledge base, so they survive its updates:
/// suppress a rule (for one system or all), or raise or lower its severity, each with a reason and an
/// optional expiry.
///
/// ```yaml
/// tuning:
///   - rule: TOMCAT-SHUTDOWN-PORT-DEFAULT-COMMAND
///     system: appnode-01        # optional: every system when absent
///     action: suppress          # suppress | severity
///     reason: the port is firewalled to loopback (change CHG-1234)
///     expires: 2027-03-31       # optional: ignored (with a warning) after this day
///   - rule: JVM-GC-LONG-FULL-PAUSE
///     action: severity
///     severity: medium
///     reason: batch node, pauses are tolerated
/// ```
public struct Tuning: Sendable {
    /// One adjustment.
    public struct Entry: Sendable {
        /// What the entry does.
        public enum Action: Sendable, Equatable {
            /// The finding is kept out of the findings (and listed as suppressed).
            case suppress
            /// The finding's severity becomes this.
            case severity(Severity)
        }

        /// The rule's id.
        public var rule: String
        /// The system it applies to; nil for every system.
        public var system: String?
        /// What it does.
        public var action: Action
        /// Why.
        public var reason: String
        /// The last day it applies, if any.
        public var expires: Date?
        /// Its line in the tuning file.
        public var line: Int
    }

    /// The entries, in file order.
    public var entries: [Entry]
    /// The file it was read from.
    public var file: String

    /// Reads a tuning file.
    ///
    /// - Parameter path: The file.
    /// - Returns: The tuning.
    /// - Throws: `KnowledgeBaseError` naming the file, the line and what is wrong.
    public static func load(path: String) throws(KnowledgeBaseError) -> Tuning {
        let text = try YAMLNodeReader.text(of: path)
        var reader = YAMLNodeReader(file: path)
        var entries: [Entry] = []
        if let root = reader.compose(text, whatIsNeeded: "'tuning'"),
            let top = reader.mapping(root, context: "", allowed: ["tuning"], required: ["tuning"]),
            let list = top["tuning"]
        {
            if let sequence = list.sequence {
                for item in sequence {
                    guard
                        let fields = reader.mapping(
                            item, context: "tuning[]",
                            allowed: ["rule", "system", "action", "severity", "reason", "expires"],
                            required: ["rule", "action", "reason"]),
                        let rule = reader.nonEmptyString(fields["rule"], "tuning[].rule"),
                        let actionName = reader.nonEmptyString(fields["action"], "tuning[].action"),
                        let reason = reader.nonEmptyString(fields["reason"], "tuning[].reason")
                    else { continue }
                    let action: Entry.Action
                    switch actionName {
                    case "suppress": action = .suppress
                    case "severity":
                        guard let severity = reader.oneOf(fields["severity"], "tuning[].severity", Severity.self) else {
                            if fields["severity"] == nil {
                                reader.report(
                                    .missingKey, at: item,
                                    "missing required key 'tuning[].severity' for action severity")
                            }
                            continue
                        }
                        action = .severity(severity)
                    default:
                        reader.report(
                            .invalidValue, at: fields["action"],
                            "'tuning[].action' is '\(actionName)'; expected suppress | severity")
                        continue
                    }
                    var expires: Date?
                    if let node = fields["expires"] {
                        guard let day = node.string.flatMap(Self.day) else {
                            reader.report(
                                .invalidValue, at: node, "'tuning[].expires' must be a date such as 2027-03-31")
                            continue
                        }
                        expires = day
                    }
                    entries.append(
                        Entry(
                            rule: rule, system: reader.string(fields["system"], "tuning[].system"), action: action,
                            reason: reason,
                            expires: expires, line: item.mark?.line ?? 0))
                }
            } else {
                reader.report(.invalidValue, at: list, "'tuning' must be a list")
            }
        }
        let errors = reader.diagnostics.filter { $0.level == .error }
        guard errors.isEmpty else { throw .invalid(errors) }
        return Tuning(entries: entries, file: path)
    }

    /// The end of the day `text` (`YYYY-MM-DD`, UTC).
    static func day(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text.trimmingWhitespace()).map { $0.addingTimeInterval(86_399) }
    }
}
