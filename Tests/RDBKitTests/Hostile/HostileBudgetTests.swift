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
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rdbkit-hostile-\(UUID().uuidString).rdb")
    try Data(bytes).write(to: url)
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
}
