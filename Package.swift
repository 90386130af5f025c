// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "RDBKit",
  products: [
    .library(name: "RDBKit", targets: ["RDBKit"]),
    .executable(name: "rdbtool", targets: ["rdbtool"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    .systemLibrary(name: "CLZF", pkgConfig: "liblzf", providers: [.apt(["liblzf-dev"])]),
    // CRC-64 with a PCLMULQDQ fast path; C because Swift has no carry-less multiply intrinsic.
    .target(name: "CCRC64"),
    .target(
      name: "RDBKit",
      dependencies: [
        "CLZF",
        "CCRC64",
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: [
        .strictMemorySafety(),
        // Lets rdbtool and the benchmarks specialize the generic parser for their handlers.
        .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
      ]),
    .executableTarget(
      name: "rdbtool",
      dependencies: [
        "RDBKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "SystemPackage", package: "swift-system"),
      ]),
    .testTarget(
      name: "RDBKitTests",
      dependencies: ["RDBKit", "CCRC64"]),
    .testTarget(
      name: "rdbtoolTests",
      dependencies: ["rdbtool"]),
  ]
)
