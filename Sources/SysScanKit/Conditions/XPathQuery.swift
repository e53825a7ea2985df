import CLibXML2
import Foundation

/// An `xpath` condition's expression, compiled once when the knowledge base is compiled and evaluated on
/// every XML artifact of the rule's kinds.
///
/// libxml2 does not promise that one compiled expression can be evaluated on two threads at once, so
/// evaluations take turns (a configuration file's evaluation is short).
final class XPathQuery: @unchecked Sendable {
    // Safety: `compiled` is only evaluated while `lock` is held, and freed once, in deinit.
    private let compiled: xmlXPathCompExprPtr
    private let lock = NSLock()
    /// The expression as written.
    let expression: String

    /// Compiles `expression`.
    ///
    /// - Throws: `XMLConfigError.badXPath` with libxml2's message when it does not compile.
    init(_ expression: String) throws(XMLConfigError) {
        XMLConfig.initialize()
        xmlResetLastError()
        let text: [xmlChar] = Array(expression.utf8) + [0]
        guard let compiled = xmlXPathCompile(text) else {
            throw .badXPath(reason: XMLConfig.lastError() ?? "invalid expression")
        }
        self.compiled = compiled
        self.expression = expression
    }

    deinit { xmlXPathFreeCompExpr(compiled) }

    /// Evaluates the expression in `context` (of one document); nil when the evaluation fails.
    func evaluate(in context: xmlXPathContextPtr) -> xmlXPathObjectPtr? {
        lock.lock()
        defer { lock.unlock() }
        return xmlXPathCompiledEval(compiled, context)
    }
}
