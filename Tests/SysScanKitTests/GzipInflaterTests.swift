import Foundation
import Testing

@testable import SysScanKit

/// The gzip inflater that runs ahead of libarchive on its own thread.
struct GzipInflaterTests {
    static func gzip(_ data: Data, in folder: URL, name: String) throws -> URL {
        let plain = folder.appendingPathComponent(name)
        try data.write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-kf", plain.path]
        try process.run()
        process.waitUntilExit()
        return folder.appendingPathComponent(name + ".gz")
    }

    static func inflate(_ path: URL) -> (Data, String?) {
        let inflater = GzipInflater(path: path.path)
        var out = Data()
        while let block = inflater.next() { out.append(contentsOf: block) }
        return (out, inflater.failure)
    }

    static func sample(_ size: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = index % 61 == 60 ? 0x0A : UInt8(0x61 + Int(state >> 59))
        }
        return Data(bytes)
    }

    @Test(arguments: [0, 1, 1000, 256 << 10, (3 << 20) + 17])
    func everyBlockSizeComesOutWhole(size: Int) throws {
        let folder = try Fixtures.temporaryFolder()
        let data = Self.sample(size, seed: UInt64(size) + 1)
        let (out, failure) = Self.inflate(try Self.gzip(data, in: folder, name: "a"))
        #expect(failure == nil)
        #expect(out == data)
    }

    @Test func membersAreReadOneAfterAnotherAndTrailingBytesIgnored() throws {
        let folder = try Fixtures.temporaryFolder()
        let first = Self.sample(300_000, seed: 7)
        let second = Self.sample(500_000, seed: 8)
        var joined = try Data(contentsOf: try Self.gzip(first, in: folder, name: "one"))
        joined.append(try Data(contentsOf: try Self.gzip(second, in: folder, name: "two")))
        let both = folder.appendingPathComponent("both.gz")
        try joined.write(to: both)
        let (out, failure) = Self.inflate(both)
        #expect(failure == nil)
        #expect(out == first + second)
        joined.append(Data(repeating: 0, count: 512))  // padding after the last member
        try joined.write(to: both)
        #expect(Self.inflate(both).0 == first + second)
    }

    @Test func aCutOrDamagedStreamEndsWhereTheDamageIsAndSaysWhy() throws {
        let folder = try Fixtures.temporaryFolder()
        let data = Self.sample(2 << 20, seed: 3)
        let whole = try Data(contentsOf: try Self.gzip(data, in: folder, name: "c"))
        let cut = folder.appendingPathComponent("cut.gz")
        try whole.prefix(whole.count / 2).write(to: cut)
        let (partial, reason) = Self.inflate(cut)
        #expect(reason == "truncated gzip input")
        #expect(partial.count > 0 && partial.count < data.count && data.starts(with: partial))
        var damaged = whole
        damaged[damaged.count / 2] ^= 0xFF
        let broken = folder.appendingPathComponent("broken.gz")
        try damaged.write(to: broken)
        let (_, damage) = Self.inflate(broken)
        #expect(damage != nil)
    }

    @Test func aReaderThatStopsEarlyStopsTheThread() throws {
        let folder = try Fixtures.temporaryFolder()
        let path = try Self.gzip(Self.sample(8 << 20, seed: 5), in: folder, name: "big")
        for _ in 0..<20 {
            let inflater = GzipInflater(path: path.path)
            _ = inflater.next()
            inflater.stop()  // returns: the thread ended although most blocks were never read
        }
    }
}
