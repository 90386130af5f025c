// swift-tools-version: 6.1
// Coverage-guided fuzzing of RDBKit with libFuzzer (Swift's -sanitize=fuzzer, with the address
// sanitizer): a package of its own, so that the root's `swift build` and `swift test` never
// build it. `make fuzz` builds and runs it; see Fuzz/README.md.
import PackageDescription

let package = Package(
  name: "RDBKitFuzz",
  dependencies: [
    // A path dependency's identity is its directory name, which a clone may change: name it.
    .package(name: "RDBKit", path: ".."),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    // Hands libFuzzer's driver a target from each program's own main.
    .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
    // The parser on a mapped buffer and on the refilled-buffer path, which must agree.
    .executableTarget(
      name: "FuzzParser",
      dependencies: ["FuzzDriver", .product(name: "RDBKit", package: "RDBKit")],
      path: "Sources/FuzzParser"),
    // Whatever parses, rewritten for several targets, must parse again with the same keys
    // (and values, when the writer declares no loss).
    .executableTarget(
      name: "FuzzRewrite",
      dependencies: [
        "FuzzDriver",
        .product(name: "RDBKit", package: "RDBKit"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      path: "Sources/FuzzRewrite"),
    // Every output writer (JSON lines, JSON, CSV, RESP, memory report, stats) on what parses.
    .executableTarget(
      name: "FuzzWriters",
      dependencies: [
        "FuzzDriver",
        .product(name: "RDBKit", package: "RDBKit"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      path: "Sources/FuzzWriters"),
    // The inner decoders alone (ziplist, listpack, intset, zipmap, LZF, quicklist and stream
    // nodes) with a structure-aware mutator, checked against the writer's encoders and the
    // parser. It reads RDBKit's internals (`@testable`): `make fuzz` builds with
    // -enable-testing.
    .executableTarget(
      name: "FuzzDecoders",
      dependencies: ["FuzzDriver", .product(name: "RDBKit", package: "RDBKit")],
      path: "Sources/FuzzDecoders"),
  ]
)
