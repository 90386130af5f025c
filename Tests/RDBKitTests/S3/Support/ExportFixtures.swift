import Foundation

@testable import RDBKit

/// Three real server RDB files uploaded as one three-shard export (`my-export-000N.rdb`).
enum ExportFixtures {
  static let shards: [(key: String, file: URL)] = [
    ("my-export-0001.rdb", "redis-7.2.6/default.rdb"),
    ("my-export-0002.rdb", "redis-7.4.1/default.rdb"),
    ("my-export-0003.rdb", "valkey-8.0.1/default.rdb"),
  ].map { ($0.0, TestPaths.testdata.appendingPathComponent("fixtures/\($0.1)")) }

  /// `--put KEY=PATH` for each shard.
  static var putArguments: [String] {
    shards.flatMap { ["--put", "\($0.key)=\($0.file.path)"] }
  }

  /// Reads `input` to the end in reads of `chunk` bytes.
  static func readAll(_ input: inout some ByteInput, chunk: Int = 65_536) throws(RDBError)
    -> [UInt8]
  {
    var output: [UInt8] = []
    // Array.withUnsafeMutableBytes is rethrows and would erase the typed error.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
    defer { buffer.deallocate() }
    while true {
      let count = try input.read(into: buffer)
      if count == 0 { return output }
      output += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    }
  }
}
