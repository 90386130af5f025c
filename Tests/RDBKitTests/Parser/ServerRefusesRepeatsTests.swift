import Foundation
import RDBKit
import Testing

/// A set, hash or sorted set stored as a hash table or skip list with a member or field twice:
/// a real server refuses to load the file, and `rdbtool verify` reports it as CORRUPT with the
/// byte and the key, from the file (mapped) and from a pipe. Servers refuse sets and sorted
/// sets in any configuration ("Duplicate set members / zset fields detected"), hashes only
/// with `sanitize-dump-payload yes` ("Hash with dup elements"): without it, Redis 7.0 loads a
/// hash-table hash of 201 fields with one twice into a listpack whose HLEN counts both.
@Suite struct ServerRefusesRepeatsTests {
  /// A type, the server that loads it, and the image with the repeat.
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let server: String
    /// Whether the server runs with `sanitize-dump-payload yes`.
    let sanitizes: Bool
    let image: [UInt8]
    /// Where the second occurrence starts.
    let offset: Int

    var testDescription: String { "\(name) on \(server)" }
  }

  /// Writes the members "a", "b", "a" (or `count` distinct ones before the second "a") with
  /// `element` after `begin`.
  static func build(
    _ name: String, server: String, _ begin: RDBImageBuilder, count: Int = 2,
    element: (inout RDBImageBuilder, String) -> Int
  ) -> Case {
    var image = begin
    image.length(UInt64(count + 1))
    let members = ["a", "b"] + (2..<count).map { "m\($0)" } + ["a"]
    let offsets = members.map { element(&image, $0) }
    return Case(
      name: name, server: server, sanitizes: name.contains("hash"), image: image.finished(),
      offset: offsets[count])
  }

  static func begin(_ type: UInt8, version: Int = 9) -> RDBImageBuilder {
    var image = RDBImageBuilder(version: version)
    image.key(type: type, "repeats")
    return image
  }

  static let cases: [Case] = [
    build("set", server: "redis-7.0", begin(2)) { image, member in
      let offset = image.offset
      image.string(member)
      return offset
    },
    build("sorted set (type 3)", server: "redis-7.0", begin(3)) { image, member in
      let offset = image.offset
      image.string(member)
      image.string("1")
      return offset
    },
    build("sorted set (type 5)", server: "redis-7.0", begin(5)) { image, member in
      let offset = image.offset
      image.string(member)
      image.littleEndian(Double(1).bitPattern)
      return offset
    },
    build("hash", server: "redis-7.0", begin(4)) { image, field in
      let offset = image.offset
      image.string(field)
      image.string("v")
      return offset
    },
    build("hash of 201 fields", server: "redis-7.0", begin(4), count: 200) { image, field in
      let offset = image.offset
      image.string(field)
      image.string("v")
      return offset
    },
    build(
      "hash with field TTLs (type 24)", server: "redis-8.0",
      {
        var image = begin(24, version: 12)
        image.littleEndian(Int64(0))
        return image
      }()
    ) { image, field in
      image.length(0)
      let offset = image.offset
      image.string(field)
      image.string("v")
      return offset
    },
  ]

  @Test(arguments: cases)
  func serverAndVerifyRefuseIt(_ testCase: Case) throws {
    let file = try TemporaryImage.write(testCase.image, prefix: "rdbkit-repeats")
    defer { try? FileManager.default.removeItem(at: file) }
    let binary = try ServerCatalog.require(testCase.server)
    let refusal = #expect(throws: ServerStartError.self, "\(testCase.server) loads it") {
      try RedisServer(
        binary: binary, preloadedRDB: file,
        extraArguments: testCase.sanitizes ? ["--sanitize-dump-payload", "yes"] : []
      ).stop()
    }
    let log = refusal?.logTail.lowercased() ?? ""
    #expect(log.contains("dup"), "\(log)")
    let mapped = try RDBToolBinary.run(["verify", file.path])
    let piped = try BoundedRun.rdbtool(
      ["verify", "-"], budget: .seconds(60), stdin: testCase.image)
    for (path, status, output) in [
      ("mapped", mapped.status, mapped.stdout), ("pipe", piped.status, piped.stdout),
    ] {
      #expect(status == 1, "\(path): \(output)")
      #expect(output.contains("CORRUPT"), "\(path): \(output)")
      #expect(output.contains("appears twice at byte \(testCase.offset)"), "\(path): \(output)")
      #expect(output.contains("repeats"), "\(path): \(output)")
    }
  }
}
