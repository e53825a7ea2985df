/// Fills `{{name}}` placeholders of a rule's message with values from what matched.
enum MessageTemplate {
    /// Returns `template` with each `{{name}}` replaced by `values[name]`, or by `?` when unknown.
    static func render(_ template: String, values: [String: String]) -> String {
        var result = ""
        var rest = template.startIndex
        for placeholder in placeholders(in: template) {
            result += template[rest..<placeholder.range.lowerBound]
            result += values[placeholder.name] ?? "?"
            rest = placeholder.range.upperBound
        }
        return result + template[rest...]
    }

    /// The `{{name}}` placeholders of `template`, in order.
    ///
    /// Each comes with its name (without the blanks around it) and the range of the whole placeholder. A
    /// `{{` without a closing `}}` ends the search.
    static func placeholders(in template: String) -> [(name: String, range: Range<String.Index>)] {
        var found: [(name: String, range: Range<String.Index>)] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingWhitespaceSubstring()
            found.append((String(name), open.lowerBound..<close.upperBound))
            rest = rest[close.upperBound...]
        }
        return found
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
