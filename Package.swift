// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SysScan",
    products: [
        .executable(name: "sysscan", targets: ["sysscan"]),
        .library(name: "SysScanKit", targets: ["SysScanKit"]),
        .library(name: "StreamMatch", targets: ["StreamMatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
    ],
    targets: [
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .target(name: "CAtomScan"),
        .target(name: "StreamMatch", dependencies: ["CPCRE2", "CAtomScan"]),
        .target(
            name: "SysScanKit",
            dependencies: [
                "StreamMatch", "CArchive", "CLibXML2", "CISAL",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Reporting/report.schema.json"]
        ),
        .executableTarget(
            name: "sysscan",
            dependencies: [
                "SysScanKit", "StreamMatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "StreamMatchTests",
            dependencies: [
                "StreamMatch", "CAtomScan", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The golden files are read from the source tree, not bundled.
        .testTarget(name: "SysScanKitTests", dependencies: ["SysScanKit", "StreamMatch"], exclude: ["Golden"]),
        .testTarget(name: "SysScanTests", dependencies: ["sysscan", "CLibXML2"], exclude: ["Golden"]),
    ]
)
