// What every fuzz target shares: handing its entry point to libFuzzer's driver.
import CFuzzer
import Foundation

/// A fuzz target's entry point: the input's bytes (the pointer may be nil when it is empty).
public typealias FuzzEntry = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Runs libFuzzer with the process's arguments on `entry` and exits with its status.
public func runFuzzer(_ entry: FuzzEntry) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
}

/// The input's bytes as an array.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
