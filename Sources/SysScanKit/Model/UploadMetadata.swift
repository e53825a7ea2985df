/// What an upload says about itself: its system, product and support case, from sidecar metadata.
///
/// Read from `UPLOAD.properties` beside the upload and from `sysscan.properties` at its root
/// (key=value). Keys: `system` (or `system.id`), `host`, `product`, `version`, `case`, `plan`,
/// `environment`; other keys are kept in `extra`.
public struct UploadMetadata: Sendable, Hashable, Codable {
    /// The system's id; the host name when no id is given.
    public var system: String?
    /// The host name.
    public var host: String?
    /// The product installed on the system.
    public var product: String?
    /// The product's version.
    public var version: String?
    /// The support case number, `C` and 7 digits.
    public var supportCase: String?
    /// The customer's support plan.
    public var plan: String?
    /// The system's environment, such as `production`.
    public var environment: String?
    /// Other keys, as given.
    public var extra: [String: String] = [:]
    /// Where the values came from (file names), in the order read.
    public var sources: [String] = []

    /// Creates empty metadata.
    public init() {}

    /// Creates metadata from key=value pairs.
    ///
    /// - Parameters:
    ///   - values: Keys and values as read from a properties file.
    ///   - source: The file they came from.
    public init(values: [String: String], source: String) {
        func value(_ keys: String...) -> String? {
            for key in keys {
                if let v = values[key]?.trimmingWhitespace(), !v.isEmpty { return v }
            }
            return nil
        }
        host = value("host", "hostname", "system.host")
        system = value("system", "system.id", "system_id", "systemid") ?? host
        product = value("product")
        version = value("version", "product.version")
        supportCase = value("case", "case.number", "case_number")
        plan = value("plan", "support.plan")
        environment = value("environment", "env")
        let known: Set = [
            "host", "hostname", "system.host", "system", "system.id", "system_id", "systemid", "product", "version",
            "product.version", "case", "case.number", "case_number", "plan", "support.plan", "environment", "env",
        ]
        extra = values.filter { !known.contains($0.key) }
        sources = [source]
    }

    /// Returns this metadata with the values of `other` filled in where this has none.
    ///
    /// - Parameter other: Metadata of lower priority.
    /// - Returns: The merged metadata; `self` wins where both have a value.
    public func filled(from other: UploadMetadata) -> UploadMetadata {
        var merged = self
        merged.system = system ?? other.system
        merged.host = host ?? other.host
        merged.product = product ?? other.product
        merged.version = version ?? other.version
        merged.supportCase = supportCase ?? other.supportCase
        merged.plan = plan ?? other.plan
        merged.environment = environment ?? other.environment
        merged.extra = other.extra.merging(extra) { _, mine in mine }
        merged.sources = sources + other.sources.filter { !sources.contains($0) }
        return merged
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
