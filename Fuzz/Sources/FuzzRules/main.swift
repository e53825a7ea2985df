import Foundation
// Loads fuzzer bytes as one rule file of a knowledge base (the project's own `knowledge-base.yaml`
// beside it), as `rules lint` and the spool do, and compiles the result: YAML → `RuleParser` →
// `KnowledgeBaseLoader` → `RuleCompiler`. Diagnostics and compile errors are fine; a crash is not.
import FuzzSupport

@testable import SysScanKit

/// The knowledge-base folder the input is written into, made once per process.
enum Target {
    static let directory: String = {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = sources.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let manifest = root.appendingPathComponent("KnownIssues/\(KnowledgeBaseLoader.manifestName)")
        let folder = NSTemporaryDirectory() + "sysscan-fuzz-rules-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = folder + "/" + KnowledgeBaseLoader.manifestName
        try? FileManager.default.removeItem(atPath: target)
        do {
            try FileManager.default.copyItem(atPath: manifest.path, toPath: target)
        } catch {
            fatalError("cannot copy \(manifest.path): \(error)")
        }
        return folder
    }()
    static let rulePath = directory + "/FUZZ-RULE.yaml"
}

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard FileManager.default.createFile(atPath: Target.rulePath, contents: Data(bytes)) else {
        fatalError("cannot write \(Target.rulePath)")
    }
    guard let knowledgeBase = try? KnowledgeBaseLoader().load(directory: Target.directory, skippingBadRuleFiles: true)
    else { return 0 }
    _ = try? RuleCompiler.compile(knowledgeBase)
    return 0
}

runFuzzer(fuzz)
