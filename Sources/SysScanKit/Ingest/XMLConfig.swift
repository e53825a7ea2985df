import CLibXML2

/// An XML configuration file parsed by libxml2, queried with XPath 1.0.
///
/// Parsed safely for untrusted input: no network access, no external entity or DTD loaded (the loader
/// refuses every URL and path), entities not substituted while parsing, references to internal entities
/// that would expand beyond `maxEntityExpansion(forDocumentOf:)` refused (a billion-laughs document), and
/// elements nested deeper than libxml2's 256 levels refused (`XML_PARSE_HUGE` is never set).
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
        // Nothing outside the document is ever read: no external DTD, entity or XInclude, by path or URL.
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    /// The most bytes that the entity references of a document of `size` bytes may expand to: its own
    /// size, and at least 1 MiB.
    ///
    /// - Parameter size: The document's length in bytes.
    /// - Returns: The budget in bytes.
    static func maxEntityExpansion(forDocumentOf size: Int) -> Int { max(1 << 20, size) }

    /// Initialises libxml2 once per process, before any thread uses it.
    static func initialize() { _ = initialized }

    private static var parseOptions: Int32 {
        Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
    }

    /// Parses `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The file's content.
    ///   - name: The artifact's name, for messages.
    /// - Throws: `XMLConfigError.unparsable` with libxml2's message and line (too deep a nesting among
    ///   them); `XMLConfigError.entityExpansion` when entity references would expand beyond the budget.
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
        let budget = Self.maxEntityExpansion(forDocumentOf: bytes.count)
        var expansion = EntityExpansion(document: parsed, budget: budget)
        if let expansion = expansion.exceeded() {
            xmlFreeDoc(parsed)
            throw .entityExpansion(bytes: expansion, budget: budget)
        }
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
        return try evaluate(describing: .max) { context in xmlXPathEvalExpression(text, context) }.nodes
    }

    /// Evaluates a compiled query: how many nodes it selects, and the first `limit` of them described.
    ///
    /// Only the described nodes cost their attributes and text, so a query that selects half a million
    /// nodes costs no more memory than one that selects `limit`.
    ///
    /// - Parameters:
    ///   - query: The compiled expression (a boolean or number result counts as one node when true or
    ///     non-zero).
    ///   - limit: The most nodes to describe.
    /// - Returns: The number of nodes selected, and the first `limit` of them in document order.
    /// - Throws: `XMLConfigError.badXPath` when the expression does not evaluate.
    func select(_ query: XPathQuery, describing limit: Int) throws(XMLConfigError) -> (count: Int, nodes: [Node]) {
        try evaluate(describing: limit) { context in query.evaluate(in: context) }
    }

    private func evaluate(describing limit: Int, _ body: (xmlXPathContextPtr) -> xmlXPathObjectPtr?)
        throws(XMLConfigError) -> (count: Int, nodes: [Node])
    {
        guard let context = xmlXPathNewContext(document) else {
            throw .badXPath(reason: "cannot create an XPath context")
        }
        defer { xmlXPathFreeContext(context) }
        xmlResetLastError()
        guard let object = body(context) else {
            throw .badXPath(reason: Self.lastError() ?? "cannot evaluate")
        }
        defer { xmlXPathFreeObject(object) }
        let nodes: [Node]
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, let table = set.pointee.nodeTab else { return (0, []) }
            let count = Int(set.pointee.nodeNr)
            return (count, (0..<min(count, max(0, limit))).compactMap { table[$0].map(Self.describe) })
        case XPATH_BOOLEAN:
            nodes = object.pointee.boolval != 0 ? [Node(line: 0, element: "", attributes: [:], value: "true")] : []
        case XPATH_NUMBER:
            let number = object.pointee.floatval
            nodes =
                number != 0 && !number.isNaN
                ? [Node(line: 0, element: "", attributes: [:], value: String(number))] : []
        case XPATH_STRING:
            let value = object.pointee.stringval.map { String(cString: $0) } ?? ""
            nodes = value.isEmpty ? [] : [Node(line: 0, element: "", attributes: [:], value: value)]
        default:
            nodes = []
        }
        return (nodes.count, limit > 0 ? nodes : [])
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
    /// The document's entity references expand to more than `budget` bytes (at least `bytes`).
    case entityExpansion(bytes: Int, budget: Int)

    var description: String {
        switch self {
        case let .unparsable(reason): "not well-formed XML: \(reason)"
        case let .entityExpansion(bytes, budget):
            "entity references expand to more than \(budget) bytes (\(bytes) counted before stopping)"
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

/// Adds up what a document's entity references expand to, stopping as soon as the total passes a budget.
///
/// Text and attribute values count by their length; a reference counts what its entity's content expands
/// to (worked out once per entity). The walk is iterative over the document; entities nest at most
/// `maxNesting` deep (libxml2 refuses deeper ones while parsing).
private struct EntityExpansion {
    let document: xmlDocPtr
    let budget: Int
    private var sizes: [UnsafeMutableRawPointer: Int] = [:]
    private static let maxNesting = 64

    init(document: xmlDocPtr, budget: Int) {
        self.document = document
        self.budget = budget
    }

    /// The bytes counted when the total passed the budget, or nil when it did not.
    mutating func exceeded() -> Int? {
        guard let root = document.pointee.children else { return nil }
        var total = 0
        var visit: xmlNodePtr? = root
        while let node = visit {
            if node.pointee.type == XML_ENTITY_REF_NODE {
                total += expansion(of: node, nesting: 0)
                if total > budget { return total }
            }
            var attribute = node.pointee.type == XML_ELEMENT_NODE ? node.pointee.properties : nil
            while let current = attribute {
                var child = current.pointee.children
                while let value = child {
                    if value.pointee.type == XML_ENTITY_REF_NODE { total += expansion(of: value, nesting: 0) }
                    child = value.pointee.next
                }
                if total > budget { return total }
                attribute = current.pointee.next
            }
            visit = Self.following(node, descend: node.pointee.type != XML_ENTITY_REF_NODE)
        }
        return nil
    }

    /// The node after `node` in document order, within the document.
    private static func following(_ node: xmlNodePtr, descend: Bool) -> xmlNodePtr? {
        if descend, let child = node.pointee.children { return child }
        var current: xmlNodePtr? = node
        while let at = current {
            if let next = at.pointee.next { return next }
            current = at.pointee.parent.flatMap { $0.pointee.type == XML_DOCUMENT_NODE ? nil : $0 }
        }
        return nil
    }

    /// What the entity that `reference` names expands to, in bytes (the budget and one more when it
    /// nests too deep).
    private mutating func expansion(of reference: xmlNodePtr, nesting: Int) -> Int {
        guard let name = reference.pointee.name, let entity = xmlGetDocEntity(document, name) else { return 0 }
        let key = UnsafeMutableRawPointer(entity)
        if let known = sizes[key] { return known }
        guard nesting < Self.maxNesting else { return budget + 1 }
        var size = 0
        // An entity's content, parsed at its first reference, hangs below it as a list of nodes.
        var stack: [xmlNodePtr] = []
        var child = entity.pointee.children
        while let node = child {
            stack.append(node)
            child = node.pointee.next
        }
        while let node = stack.popLast(), size <= budget {
            switch node.pointee.type {
            case XML_ENTITY_REF_NODE:
                size += expansion(of: node, nesting: nesting + 1)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                size += Int(xmlStrlen(node.pointee.content))
            default:
                var inner = node.pointee.children
                while let next = inner {
                    stack.append(next)
                    inner = next.pointee.next
                }
            }
        }
        sizes[key] = size
        return size
    }
}
