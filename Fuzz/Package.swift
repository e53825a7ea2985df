// swift-tools-version: 6.1
// Fuzz targets for SysScanKit and StreamMatch, one libFuzzer executable per parser. A package of its own,
// so that the main package's `swift build` and `swift test` neither build nor need them. Build and run
// them with `Fuzz/run.sh`, which passes the sanitizer flags (`-sanitize=fuzzer,address`) to every
// Swift target of the build, the library included, so that libFuzzer sees its coverage.
//
// The targets use `@testable import` to reach the library's internal parsers: the debug build that
// `run.sh` makes compiles every module with `-enable-testing`.
import PackageDescription

let targets = [
    "FuzzArchive", "FuzzXMLConfig", "FuzzProperties", "FuzzDirectives", "FuzzJVMOptions", "FuzzTimestamp",
    "FuzzRules", "FuzzLiterals",
]

let package = Package(
    name: "SysScanFuzz",
    dependencies: [.package(name: "SysScan", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"]),
    ]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport",
                    .product(name: "SysScanKit", package: "SysScan"),
                    .product(name: "StreamMatch", package: "SysScan"),
                ]
            )
        }
)
