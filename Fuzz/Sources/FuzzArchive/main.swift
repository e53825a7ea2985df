import Foundation
// Scans fuzzer bytes as an uploaded file, against the project's knowledge base: content sniffing,
// libarchive entry streaming, nested archives, gzip inflation, artifact kinds and every rule's search.
// The upload is written to one temporary file per process and read as the spool would read it. A
// refused upload (`ScanError`) is fine; a crash, a hang or a leak is not.
import FuzzSupport

@testable import SysScanKit

/// What every input shares, made once per process.
enum Target {
    static let knowledgeBase: CompiledKnowledgeBase = {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = sources.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        do {
            let loaded = try KnowledgeBaseLoader().load(directory: root.appendingPathComponent("KnownIssues").path)
            return try RuleCompiler.compile(loaded)
        } catch {
            fatalError("cannot load the knowledge base: \(error)")
        }
    }()

    static let options: ScanOptions = {
        var options = ScanOptions()
        options.threads = 1
        options.now = Date(timeIntervalSince1970: 1_795_000_000)
        return options
    }()

    static let folder: String = {
        let folder = NSTemporaryDirectory() + "sysscan-fuzz-archive-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()
    static let uploadPath = folder + "/upload"
}

/// Runs one input; libFuzzer calls it under its usual name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard FileManager.default.createFile(atPath: Target.uploadPath, contents: Data(bytes)) else {
        fatalError("cannot write \(Target.uploadPath)")
    }
    // One scanner per upload, as in the spool.
    _ = try? SysScanKit.Scanner(knowledgeBase: Target.knowledgeBase, options: Target.options).scan([Target.uploadPath])
    return 0
}

runFuzzer(fuzz)
