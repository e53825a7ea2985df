/// Fills `{{name}}` placeholders of a rule's message with values from what matched.
enum MessageTemplate {
    /// Returns `template` with each `{{name}}` replaced by `values[name]`, or by `?` when unknown.
    static func render(_ template: String, values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingWhitespaceSubstring()
            result += values[String(name)] ?? "?"
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        var s = self
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return s
    }
}
