import Foundation
import Testing

/// One size syntax for every size option (KB = 1000, KiB = K = 1024, any letter case), and
/// binary units in every report.
@Suite struct SizeOptionTests {
  static let fixture = RDBToolProcess.fixture("redis-7.4.1/default.rdb")

  /// `string:1mb` is estimated at 1,310,776 bytes, the next key at 47,440: `--min-size` keeps
  /// it exactly when the size given is at most 1,310,776.
  @Test(arguments: [
    ("1310776", true), ("1310777", false), ("1310776B", true), ("1280KiB", true),
    ("1280kib", true), ("1280K", true), ("1280k", true), ("1311KB", false), ("1310kb", true),
    ("1.25MiB", true), ("1.25m", true), ("1.31MB", true), ("1.32mb", false), ("0.002GB", false),
    ("0.001GiB", true),
  ])
  func minSizeUnits(_ size: String, _ keeps: Bool) throws {
    let result = try RDBToolProcess.run(["memory", "--min-size", size, Self.fixture])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").dropFirst()
    #expect(rows.count == (keeps ? 1 : 0), "\(size): \(rows)")
  }

  @Test(arguments: ["1XB", "MB", "-1MB", "1.2.3K", "ten", "1e3"])
  func malformedSizesAreUsageErrors(_ size: String) throws {
    let result = try RDBToolProcess.run(["memory", "--min-size", size, Self.fixture])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is not a size"), "\(result.stderr)")
  }

  /// `--part-size` and `--max-memory` read sizes the same way as `--min-size`.
  @Test func everySizeOptionTakesUnits() throws {
    let verify = try RDBToolProcess.run(["verify", "--part-size", "8MB", Self.fixture])
    #expect(verify.status == 0, "\(verify.stderr)")
    let small = try RDBToolProcess.run(["verify", "--part-size", "64KB", Self.fixture])
    #expect(small.status == 2 && small.stderr.contains("at least 64 KiB"), "\(small.stderr)")
    let enough = try RDBToolProcess.run(["verify", "--part-size", "64KiB", Self.fixture])
    #expect(enough.status == 0, "\(enough.stderr)")
    for memory in ["4GiB", "4gb", "512MiB"] {
      let seed = try RDBToolProcess.run([
        "seed-check", "--target", "redis-7.4", "--max-memory", memory, Self.fixture,
      ])
      #expect(seed.status != 2, "\(memory): \(seed.stderr)")
    }
  }

  /// Reports print binary units, and a histogram bucket's bounds are powers of two.
  @Test func statsPrintsBinaryUnits() throws {
    let stats = try RDBToolProcess.run(["stats", Self.fixture])
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(stats.stdout.contains("1.7 MiB estimated memory"), "\(stats.stdout)")
    for decimal in [" kB", " MB", " GB"] { #expect(!stats.stdout.contains(decimal)) }
    #expect(stats.stdout.contains("512 B         1 KiB"), "\(stats.stdout)")
    #expect(stats.stdout.contains("1 MiB         2 MiB     1"), "\(stats.stdout)")
  }
}
