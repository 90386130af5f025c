// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "RDBKit",
  products: [
    .library(name: "RDBKit", targets: ["RDBKit"]),
    // rdbtool has no sources on the s3 branch; main restores it.
    // .executable(name: "rdbtool", targets: ["rdbtool"]),
  ],
  dependencies: [
    // Used only by rdbtool, which main restores.
    // .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    .systemLibrary(name: "CLZF", pkgConfig: "liblzf", providers: [.apt(["liblzf-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
    .target(name: "CCurlShims", dependencies: ["CCurl"]),
    .target(
      name: "RDBKit",
      dependencies: [
        "CLZF",
        "CCurl",
        "CCurlShims",
        "COpenSSL",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: [.strictMemorySafety()]),
    // .executableTarget(
    //   name: "rdbtool",
    //   dependencies: [
    //     "RDBKit",
    //     .product(name: "ArgumentParser", package: "swift-argument-parser"),
    //   ]),
    .testTarget(
      name: "RDBKitTests",
      dependencies: ["RDBKit", .product(name: "Logging", package: "swift-log")],
      exclude: ["S3/Support/s3_helper.py", "S3/Support/fault_proxy.py", "S3/Support/cred_server.py"]),
    // .testTarget(
    //   name: "rdbtoolTests",
    //   dependencies: ["rdbtool"]),
  ]
)
