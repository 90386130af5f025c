// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "RDBKit",
  products: [
    .library(name: "RDBKit", targets: ["RDBKit"]),
    .library(name: "RDBS3", targets: ["RDBS3"]),
    .executable(name: "rdbtool", targets: ["rdbtool"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    .systemLibrary(name: "CLZF", pkgConfig: "liblzf", providers: [.apt(["liblzf-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
    // gzip and zstd inputs are decompressed as they are read.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    // curl_easy_setopt/getinfo are variadic: one typed C entry per argument kind.
    .target(name: "CCurlShims", dependencies: ["CCurl"]),
    // CRC-64 with a PCLMULQDQ fast path; C because Swift has no carry-less multiply intrinsic.
    .target(name: "CCRC64"),
    // The C library allocator's settings (mallopt), which Glibc's Swift module leaves out.
    .target(name: "CAllocator"),
    .target(
      name: "RDBKit",
      dependencies: [
        "CLZF",
        "CCRC64",
        "CZlib",
        "CZstd",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: [
        .strictMemorySafety(),
        // Release: let rdbtool and the benchmarks specialize the generic parser for their
        // handlers, and drop the runtime exclusivity checks on the output buffer's storage
        // (debug builds and the tests keep them).
        .unsafeFlags(
          ["-cross-module-optimization", "-enforce-exclusivity=unchecked"],
          .when(configuration: .release)),
      ]),
    // S3 and AWS (libcurl for HTTP, OpenSSL for SigV4): its own target, so that a program
    // that only reads files links neither, and RDBKit cannot depend on it.
    .target(
      name: "RDBS3",
      dependencies: [
        "RDBKit",
        "CCurl",
        "CCurlShims",
        "COpenSSL",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: [.strictMemorySafety()]),
    .executableTarget(
      name: "rdbtool",
      dependencies: [
        "RDBKit",
        "RDBS3",
        "CAllocator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ]),
    .testTarget(
      name: "RDBKitTests",
      dependencies: [
        "RDBKit", "RDBS3", "CCRC64", .product(name: "Logging", package: "swift-log"),
      ],
      exclude: [
        "S3/Support/s3_helper.py", "S3/Support/fault_proxy.py", "S3/Support/cred_server.py",
        "S3/Support/serving.py", "S3/Support/sso_portal.py",
      ]),
    .testTarget(
      name: "rdbtoolTests",
      dependencies: ["rdbtool"],
      exclude: ["Support/elasticache_standin.py"]),
  ]
)
