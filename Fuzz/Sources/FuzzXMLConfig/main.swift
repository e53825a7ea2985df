// Parses fuzzer bytes as an XML configuration and evaluates an XPath expression on it, as an `xpath`
// condition does: the input's first line is the expression, the rest the document. Each selected node
// is then located in the source lines the way evidence is cited.
import FuzzSupport

@testable import SysScanKit

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let expression = String(decoding: bytes[..<newline], as: UTF8.self)
    let content = Array(bytes[min(newline + 1, bytes.endIndex)...])
    _ = XMLConfig.xpathProblem(expression)
    guard let document = try? XMLConfig(bytes: content, name: "fuzz.xml") else { return 0 }
    let lines = SourceLines(content)
    let query = try? XPathQuery(expression)
    let selected = (try? query.map { try document.select($0, describing: 10) }) ?? nil
    for node in selected?.nodes ?? [] where node.line > 0 {
        _ = lines.startOfTag(node.element, endingOn: node.line)
    }
    return 0
}

runFuzzer(fuzz)
