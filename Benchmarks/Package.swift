// swift-tools-version: 6.1
// The benchmark suites for RDBKit: a package of its own, so that `swift build` and `swift test`
// at the root never build ordo-one/benchmark. Run with
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
// or `make bench` from the root.
import PackageDescription

let package = Package(
  name: "RDBKitBenchmarks",
  dependencies: [
    // A path dependency's identity is its directory name, which a clone may change: name it.
    .package(name: "RDBKit", path: ".."),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Generates the inputs through RDBKit's RDBWriter and caches them as files in a temp dir.
    .target(
      name: "RDBBenchSupport",
      dependencies: [.product(name: "RDBKit", package: "RDBKit")],
      path: "Sources/RDBBenchSupport"),
    .executableTarget(
      name: "RDBParsing",
      dependencies: [
        "RDBBenchSupport",
        .product(name: "RDBKit", package: "RDBKit"),
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      path: "Benchmarks/RDBParsing",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
