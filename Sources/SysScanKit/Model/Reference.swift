/// Where a known issue is documented: an article of the knowledge base, a CVE or a web page.
public enum Reference: Sendable, Hashable, Codable {
    /// A knowledge-base article id, such as `KB-TOMCAT-0001`.
    case article(String)
    /// A CVE id, such as `CVE-2020-1938`.
    case cve(String)
    /// A web address.
    case url(String)
    /// A support case number, such as `C1234567`.
    case supportCase(String)

    /// The kind of reference as written in rule files and reports (`article`, `cve`, `url`, `case`).
    public var type: String {
        switch self {
        case .article: "article"
        case .cve: "cve"
        case .url: "url"
        case .supportCase: "case"
        }
    }

    /// The id or address.
    public var value: String {
        switch self {
        case let .article(v), let .cve(v), let .url(v), let .supportCase(v): v
        }
    }

    /// A web address for the reference where one is known (a CVE's NVD page, a URL itself).
    public var link: String? {
        switch self {
        case let .cve(id): "https://nvd.nist.gov/vuln/detail/\(id)"
        case let .url(address): address
        case .article, .supportCase: nil
        }
    }
}
