import Foundation
import RDBKit
import Testing

/// The worst inputs built by hand, run through the `rdbtool` binary as a child with a memory
/// limit (RLIMIT_AS) and a time budget: the child is killed when the budget ends and the
/// test fails, so a hang or a runaway allocation can never stall the suite.
@Suite struct HostileBudgetTests {
  /// Generous for a debug build on a loaded machine: each input takes well under 10 s.
  static let budget = Duration.seconds(60)

  /// Writes `bytes` to a fresh temporary file, runs `body` on it, then removes it.
  static func withFile<R>(_ bytes: [UInt8], _ body: (URL) throws -> R) throws -> R {
    let url = try TemporaryImage.write(bytes, prefix: "rdbkit-hostile")
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
  }

  /// One set listpack of `count` distinct 24-bit integers (5 bytes each: about 7.5 MB for
  /// 1.5 M), optionally ending in a repeat of the first.
  static func setOfTinyMembers(_ count: Int, repeatingFirst: Bool) -> [UInt8] {
    var body: [UInt8] = []
    body.reserveCapacity(count * 5 + 5)
    for index in 0..<(repeatingFirst ? count + 1 : count) {
      let value = UInt32(index == count ? 0 : index)
      body += [0xF2, UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16), 4]
    }
    let blob =
      RDBImageBuilder.littleEndian(UInt32(6 + body.count + 1))
      + RDBImageBuilder.littleEndian(UInt16(0xFFFF)) + body + [0xFF]
    var image = RDBImageBuilder(version: 11)
    image.key(type: 20, "k")
    image.string(blob)
    return image.finished(checksum: false)
  }

  /// 1.5 M tiny members in one listpack: the repeat check used to take 64–128 bytes a member
  /// (about 200 MB here, 1.6 GB for 13 M members in a 65 MB file); in passes it stays near
  /// the value's size, so verify passes under 192 MiB of address space and finds a repeat.
  @Test(arguments: [false, true])
  func repeatCheckOfAHugeListpackStaysInMemoryLimit(_ repeats: Bool) throws {
    let run = try Self.withFile(Self.setOfTinyMembers(1_500_000, repeatingFirst: repeats)) {
      try BoundedRun.rdbtool(["verify", $0.path], memoryMiB: 192, budget: Self.budget)
    }
    #expect(!run.timedOut, "killed after \(run.elapsed)")
    if repeats {
      #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
      #expect(
        run.stdout.contains("a field or member appears twice at byte 12"),
        "\(run.stdout) \(run.stderr)")
    } else {
      #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
      #expect(run.stdout.contains("OK (checksum not checked)"), "\(run.stdout) \(run.stderr)")
    }
  }

  /// A hash-table set (type 2) of `count` distinct members stored as 32-bit integers (5 bytes
  /// each), then `repeats` more copies of the first.
  static func hashTableSet(_ count: Int, repeats: Int) -> [UInt8] {
    var image = RDBImageBuilder(version: 9)
    image.key(type: 2, "k")
    image.length(UInt64(count + repeats))
    var body: [UInt8] = []
    body.reserveCapacity((count + repeats) * 5)
    for index in 0..<(count + repeats) {
      let value = UInt32(index < count ? index : 0)
      body += [0xC2] + RDBImageBuilder.littleEndian(value)
    }
    image.raw(body)
    return image.finished()
  }

  /// The repeat check of a hash-table value keeps 8-byte hashes past its first 16,384
  /// elements: 1 M distinct members (5 MB), then 1 M repeats of one, verify in 192 MiB of
  /// address space, both ways, and the repeats are found at the next sort of the hashes.
  @Test(arguments: [0, 1_000_000])
  func repeatCheckOfAHugeHashTableSetStaysInMemoryLimit(_ repeats: Int) throws {
    for run in try Self.verifyBothWays(Self.hashTableSet(1_000_000, repeats: repeats)) {
      #expect(!run.timedOut, "killed after \(run.elapsed)")
      if repeats > 0 {
        #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
        #expect(
          run.stdout.contains("appears twice among its first"), "\(run.stdout) \(run.stderr)")
      } else {
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains(": OK"), "\(run.stdout) \(run.stderr)")
      }
    }
  }

  /// Runs `verify` on `image` from a file (mapped) and from a pipe (read), each under the
  /// memory limit and the time budget, and returns both runs.
  static func verifyBothWays(_ image: [UInt8]) throws -> [BoundedRun] {
    let mapped = try withFile(image) {
      try BoundedRun.rdbtool(["verify", $0.path], memoryMiB: 192, budget: budget)
    }
    let piped = try BoundedRun.rdbtool(
      ["verify", "-"], memoryMiB: 192, budget: budget, stdin: image)
    return [mapped, piped]
  }

  /// The worst shapes of well-formed values: each must verify, in time, both ways.
  @Test(arguments: HostileShape.allCases)
  func worstShapesVerifyInTime(_ shape: HostileShape) throws {
    for run in try Self.verifyBothWays(shape.image) {
      #expect(!run.timedOut, "\(shape): killed after \(run.elapsed)")
      #expect(run.status == 0, "\(shape): \(run.stdout) \(run.stderr)")
      #expect(run.stdout.contains(": OK"), "\(shape): \(run.stdout) \(run.stderr)")
    }
  }

  /// A file may select any 32-bit database number. FuzzWriters found that `stats` grew an
  /// array to the number (2.4 GB for database 150,994,944 in a 518-byte file; 4.7 GB peak RSS).
  /// Every reading command must count such a key in a few MiB.
  @Test(arguments: [["stats"], ["stats", "--json"], ["memory"], ["info"], ["keys"]])
  func aDistantDatabaseNumberAllocatesNothing(_ command: [String]) throws {
    var image = RDBImageBuilder(version: 9)
    image.byte(0xFE)
    image.length(150_994_944)
    image.key(type: 0, "k")
    image.string("v")
    let run = try Self.withFile(image.finished()) {
      try BoundedRun.rdbtool(command + [$0.path], memoryMiB: 192, budget: Self.budget)
    }
    #expect(!run.timedOut, "\(command): killed after \(run.elapsed)")
    #expect(run.status == 0, "\(command): \(run.stdout) \(run.stderr)")
    #expect(run.stdout.contains("150994944") || command == ["keys"], "\(command): \(run.stdout)")
  }

  /// A count of 2^40 elements, nodes or entries with a few bytes behind it: refused at once
  /// (the file's size bounds what a count can ask for; a pipe runs out of bytes), never
  /// looped on or allocated for.
  @Test(arguments: [2, 4, 5, 14, 18, 15] as [UInt8])
  func hugeCountsWithTinyBodiesFailFast(_ type: UInt8) throws {
    var image = RDBImageBuilder(version: 9)
    image.key(type: type, "k")
    image.length(1 << 40)
    image.raw([UInt8](repeating: 0x01, count: 64))
    for run in try Self.verifyBothWays(image.finished()) {
      #expect(!run.timedOut, "type \(type): killed after \(run.elapsed)")
      #expect(run.status == 1, "type \(type): \(run.stdout) \(run.stderr)")
      #expect(run.stdout.contains("CORRUPT"), "type \(type): \(run.stdout) \(run.stderr)")
    }
  }
}

/// Well-formed values of the most expensive shapes a few megabytes allow.
enum HostileShape: String, CaseIterable, CustomTestStringConvertible, Sendable {
  /// A list of 400,000 quicklist nodes, each a one-element listpack.
  case manyListpackNodes
  /// A list of 400,000 quicklist nodes, each a one-entry ziplist.
  case manyZiplistNodes
  /// A ziplist list of 1,000,000 entries, every prevlen in its 5-byte 0xFE form.
  case widePrevlens
  /// A stream node whose master entry has 100,000 fields, then 10 entries that reuse them.
  case hugeMasterEntry

  var testDescription: String { rawValue }

  var image: [UInt8] {
    var image = RDBImageBuilder(version: self == .hugeMasterEntry ? 9 : 11)
    switch self {
    case .manyListpackNodes:
      image.key(type: 18, "k")
      image.length(400_000)
      let node = listpack([.uint7(1)])
      for _ in 0..<400_000 {
        image.length(2)
        image.string(node)
      }
    case .manyZiplistNodes:
      image.key(type: 14, "k")
      image.length(400_000)
      let node = ziplist([.immediate(1)])
      for _ in 0..<400_000 { image.string(node) }
    case .widePrevlens:
      image.key(type: 10, "k")
      var body: [UInt8] = []
      body.reserveCapacity(6_000_000)
      for index in 0..<1_000_000 {
        body += [0xFE, index == 0 ? 0 : 6, 0, 0, 0, 0xF2]
      }
      let tail = 10 + body.count - 6
      image.string(
        RDBImageBuilder.littleEndian(UInt32(10 + body.count + 1))
          + RDBImageBuilder.littleEndian(UInt32(tail))
          + RDBImageBuilder.littleEndian(UInt16(0xFFFF))
          + body + [0xFF])
    case .hugeMasterEntry:
      image.key(type: 15, "k")
      let fields = (0..<100_000).map { "f\($0)" }
      let entries = (0..<10).map { index in
        StreamNodeEntry(
          msDelta: Int64(index), seqDelta: 0, fields: fields.map { ($0, "v") }, sameFields: true)
      }
      let node = StreamImage.node(masterFields: fields, entries: entries, count: 0xFFFF)
      StreamImage.append(
        to: &image, nodes: [(StreamID(milliseconds: 1, sequence: 0), node)], length: 10,
        lastID: StreamID(milliseconds: 10, sequence: 0))
    }
    return image.finished()
  }
}
