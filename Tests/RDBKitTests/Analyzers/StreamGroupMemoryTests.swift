import Foundation
import RDBKit
import Testing

/// Redis 8.6 counts a stream's consumer groups by their allocations: the group and consumer
/// trees keyed by name, the index from each pending ID to its groups, PEL entries, consumer
/// names and IDMP producers. A real 8.6 server builds streams with many groups and consumers
/// (names sharing prefixes, names that are prefixes of others, names of 32 bytes and more),
/// pending entries shared by several groups and thinned by `XACK`, and IDMP producers; a fresh
/// server loads the file, and every stream's `MEMORY USAGE` must equal the `--as-loaded`
/// estimate.
@Suite struct StreamGroupMemoryTests {
  /// The commands: streams of 1 to 1,500 entries at seeded, increasing IDs, each with 1 to 12
  /// groups reading part of it through several consumers. Seeded: the same every run.
  static func commands() -> [[String]] {
    var generator = SplitMix64(seed: 20_261_204_86)
    func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }
    let names = [
      "g", "g1", "g10", "g2", "group", "group-a", "group-ab", "reporting",
      String(repeating: "long-group-name-", count: 3), "x", "xy", "\u{e9}t\u{e9}",
    ]
    var commands: [[String]] = []
    for index in 0..<16 {
      let key = "stream:groups:\(index)"
      let length = [1, 7, 60, 250, 1500][index % 5]
      var milliseconds = 1_700_000_000_000 + next(1_000_000)
      for entry in 0..<length {
        milliseconds += next(3) == 0 ? 0 : 1 + next(70_000)
        commands.append(["XADD", key, "\(milliseconds)-\(entry)", "f", "\(next(1000))"])
      }
      for group in names.prefix(1 + index % names.count) {
        commands.append(["XGROUP", "CREATE", key, group, "0"])
        let consumers = 1 + next(5)
        for consumer in 0..<consumers {
          let name = consumer == 3 ? String(repeating: "c", count: 33) : "c\(consumer)-\(group)"
          commands.append([
            "XREADGROUP", "GROUP", group, name, "COUNT", "\(1 + next(length))", "STREAMS", key,
            ">",
          ])
        }
        commands.append(["XGROUP", "CREATECONSUMER", key, group, "idle-\(index)"])
      }
      if index % 3 == 0 {
        commands.append(["XCFGSET", key, "IDMP-DURATION", "86400", "IDMP-MAXSIZE", "50"])
        for entry in 0..<(5 + index) {
          commands.append([
            "XADD", key, "IDMP", "producer-\(entry % (1 + index % 4))",
            "iid-\(entry)-\(String(repeating: "z", count: next(40)))", "*", "n", "\(entry)",
          ])
        }
      }
    }
    return commands
  }

  @Test func loadedStreamsMatchTheServer() throws {
    let writer = try RedisServer(binary: ServerCatalog.require("redis-8.6"))
    defer { writer.stop() }
    let replies = try writer.client().pipeline(
      Self.commands().map { $0.map { Array($0.utf8) } })
    for reply in replies {
      if case .error(let message) = reply { Issue.record("command failed: \(message)") }
    }
    // Thin some PELs so that pending IDs are not contiguous.
    for index in stride(from: 2, to: 16, by: 4) {
      let key = "stream:groups:\(index)"
      let pending = try writer.client().call("XPENDING", key, "g", "-", "+", "40").elements
      for (position, entry) in pending.enumerated() where position % 3 == 0 {
        let id = try #require(entry.elements.first?.text)
        #expect(try writer.client().call("XACK", key, "g", id) == .integer(1))
      }
    }
    #expect(try writer.client().call("SAVE") == .simple("OK"))
    let target = LoadedMemoryAccuracyTests.Target(server: "redis-8.6", allocator: .system)
    let samples = try LoadedMemoryAccuracyTests.loadedSamples(writer.dumpURL, target: target)
      .filter { $0.type.hasPrefix("stream/") }
    #expect(samples.count == 16)
    for sample in samples {
      print("stream groups | \(sample.key) | estimate \(sample.estimate), server \(sample.actual)")
      #expect(sample.estimate == sample.actual, "\(sample.key)")
    }
  }
}
