import CLibXML2

/// An XML configuration file parsed by libxml2, queried with XPath 1.0.
///
/// Parsed safely for untrusted input: no network access, no external DTD, entities not substituted.
/// Not thread-safe; one per artifact.
final class XMLConfig {
    /// A node an XPath expression selected.
    struct Node {
        /// The line where libxml2 finished the element's start tag (for an attribute or text node, of its
        /// element), from 1; a start tag over several lines began earlier (see `SourceLines.startOfTag`).
        var line: Int
        /// The element's name, without a namespace prefix.
        var element: String
        /// The element's attributes (for an attribute node, its element's).
        var attributes: [String: String]
        /// The node's text content.
        var value: String
    }

    private let document: xmlDocPtr

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Initialises libxml2 once per process, before any thread uses it.
    static func initialize() { _ = initialized }

    private static var parseOptions: Int32 {
        Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)
    }

    /// Parses `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The file's content.
    ///   - name: The artifact's name, for messages.
    /// - Throws: `XMLConfigError.unparsable` with libxml2's message and line.
    init(bytes: [UInt8], name: String) throws(XMLConfigError) {
        Self.initialize()
        xmlResetLastError()
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(clamping: buffer.count), name, nil, Self.parseOptions)
                }
            }
        }
        guard let parsed else { throw .unparsable(reason: Self.lastError() ?? "not well-formed XML") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// Evaluates `expression` and returns the nodes it selects.
    ///
    /// - Parameter expression: An XPath 1.0 expression that selects a node-set (a boolean or number
    ///   result counts as one match when true or non-zero).
    /// - Returns: The selected nodes in document order.
    /// - Throws: `XMLConfigError.badXPath` when the expression does not evaluate.
    func select(_ expression: String) throws(XMLConfigError) -> [Node] {
        let text: [xmlChar] = Array(expression.utf8) + [0]
        return try evaluate { context in xmlXPathEvalExpression(text, context) }
    }

    /// Evaluates a compiled query and returns the nodes it selects, as `select(_:)` does.
    ///
    /// - Throws: `XMLConfigError.badXPath` when the expression does not evaluate.
    func select(_ query: XPathQuery) throws(XMLConfigError) -> [Node] {
        try evaluate { context in query.evaluate(in: context) }
    }

    private func evaluate(_ body: (xmlXPathContextPtr) -> xmlXPathObjectPtr?) throws(XMLConfigError) -> [Node] {
        guard let context = xmlXPathNewContext(document) else {
            throw .badXPath(reason: "cannot create an XPath context")
        }
        defer { xmlXPathFreeContext(context) }
        xmlResetLastError()
        guard let object = body(context) else {
            throw .badXPath(reason: Self.lastError() ?? "cannot evaluate")
        }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, let table = set.pointee.nodeTab else { return [] }
            return (0..<Int(set.pointee.nodeNr)).compactMap { table[$0].map(Self.describe) }
        case XPATH_BOOLEAN:
            return object.pointee.boolval != 0 ? [Node(line: 0, element: "", attributes: [:], value: "true")] : []
        case XPATH_NUMBER:
            let number = object.pointee.floatval
            return number != 0 && !number.isNaN
                ? [Node(line: 0, element: "", attributes: [:], value: String(number))] : []
        case XPATH_STRING:
            let value = object.pointee.stringval.map { String(cString: $0) } ?? ""
            return value.isEmpty ? [] : [Node(line: 0, element: "", attributes: [:], value: value)]
        default:
            return []
        }
    }

    /// Returns why `expression` does not compile, or nil when it does.
    ///
    /// - Parameter expression: An XPath 1.0 expression.
    /// - Returns: libxml2's message, or nil.
    static func xpathProblem(_ expression: String) -> String? {
        initialize()
        xmlResetLastError()
        let text: [xmlChar] = Array(expression.utf8) + [0]
        guard let compiled = xmlXPathCompile(text) else { return lastError() ?? "invalid expression" }
        xmlXPathFreeCompExpr(compiled)
        return nil
    }

    private static func describe(_ node: xmlNodePtr) -> Node {
        let element: xmlNodePtr =
            node.pointee.type == XML_ELEMENT_NODE ? node : (node.pointee.parent ?? node)
        var attributes: [String: String] = [:]
        if element.pointee.type == XML_ELEMENT_NODE {
            var attribute = element.pointee.properties
            while let current = attribute {
                if let name = current.pointee.name {
                    let key = String(cString: name)
                    if let raw = xmlGetProp(element, name) {
                        attributes[key] = String(cString: raw)
                        cxml_free(raw)
                    }
                }
                attribute = current.pointee.next
            }
        }
        var value = ""
        if let content = xmlNodeGetContent(node) {
            value = String(cString: content)
            cxml_free(content)
        }
        let name = element.pointee.name.map { String(cString: $0) } ?? ""
        return Node(line: Int(xmlGetLineNo(element)), element: name, attributes: attributes, value: value)
    }

    static func lastError() -> String? {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return nil }
        let text = String(cString: message).trimmingWhitespace()
        let line = error.pointee.line
        return line > 0 ? "line \(line): \(text)" : text
    }
}

/// Why an XML configuration could not be used.
enum XMLConfigError: Error, CustomStringConvertible {
    /// The content is not well-formed XML.
    case unparsable(reason: String)
    /// An XPath expression did not evaluate.
    case badXPath(reason: String)

    var description: String {
        switch self {
        case let .unparsable(reason): "not well-formed XML: \(reason)"
        case let .badXPath(reason): "XPath expression failed: \(reason)"
        }
    }
}

extension XMLConfig {
    /// The version of the libxml2 in use, as it reports it at run time (`2.9.14`, from `20914`).
    static var libraryVersion: String {
        guard let text = cxml_parser_version(), let number = Int(String(cString: text)) else { return "unknown" }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
