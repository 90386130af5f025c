import Foundation
import RDBKit
import Testing

/// `rdbtool split` and `rdbtool merge` proven on a real Redis Cluster: three redis-7.0 nodes
/// created by `redis-cli --cluster create`; the split files are loaded as the nodes'
/// `dump.rdb`, every key is read back from the node that owns its slot and compared with
/// the input, and `CLUSTER COUNTKEYSINSLOT` is compared with the files.
@Suite struct ClusterSplitTests {
  @Test func fixtureDatabaseZeroLoadsIntoACluster() throws {
    let fixture = Fixture.named("redis-7.0.15", "default")
    let input = try collect(fixture.rdb).filter { $0.database == 0 }
    try #require(input.count > 50)
    try withCluster { cluster, directory in
      let ranges = try cluster.slotRanges()
      #expect(ranges == SlotRanges.dealt(shards: 3), "redis-cli dealt \(ranges)")
      let files = try split(
        [fixture.rdb], ["--slots", ranges.description, "--db", "0"], into: directory,
        count: 3)
      try cluster.restart(loading: files)
      try expectClusterHolds(input, cluster: cluster, ranges: ranges, files: files)
      for node in cluster.nodes {
        let libraries = try node.client().call("FUNCTION", "LIST").elements.count
        #expect(libraries == 2, "node :\(node.port) has \(libraries) function libraries")
      }
      try expectMergeGivesBack(input, from: files, directory: directory)
    }
  }

  @Test func generatedDatasetLoadsIntoAClusterAndReshards() throws {
    try withCluster { cluster, directory in
      let dataset = directory.appendingPathComponent("generated.rdb")
      try ClusterDataset.write(to: dataset)
      let input = try collect(dataset)
      #expect(input.count == ClusterDataset.keyCount)
      let ranges = try cluster.slotRanges()
      let files = try split(
        [dataset], ["--slots", ranges.description], into: directory, count: 3)
      try cluster.restart(loading: files)
      try expectClusterHolds(input, cluster: cluster, ranges: ranges, files: files)

      // Resharding for 2 and 5 shards: every key in the file its slot says, by a CRC16
      // computed here, and the ranges redis-cli would deal.
      let lastSlots = [2: [8191, 16383], 5: [3276, 6553, 9829, 13106, 16383]]
      for (count, lasts) in lastSlots.sorted(by: { $0.key < $1.key }) {
        let reshard = directory.appendingPathComponent("shards-\(count)")
        let shardFiles = try split(
          files, ["--shards", "\(count)", "--name", "r"], into: reshard, count: count)
        var total = 0
        for (index, file) in shardFiles.enumerated() {
          let keys = try collect(file)
          total += keys.count
          let misplaced = keys.filter { key in
            let slot = ReferenceSlot.slot(of: unhex(key.keyHex))
            return ReferenceSlot.shard(ofSlot: slot, lastSlots: lasts) != index
          }
          #expect(misplaced.isEmpty, "\(count) shards, file \(index + 1): \(misplaced.count)")
        }
        #expect(total == ClusterDataset.keyCount, "\(count) shards")
      }
      try expectMergeGivesBack(input, from: files, directory: directory)
      try expectDuplicateMergeFails(files[0], directory: directory)
    }
  }

  // MARK: Steps

  /// Runs `body` with a fresh 3-node cluster and a temporary directory, both removed after.
  private func withCluster(_ body: (LocalCluster, URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-split-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cluster = try LocalCluster()
    defer { cluster.remove() }
    try body(cluster, directory)
  }

  /// Every key of an RDB file, as the parser reports it.
  private func collect(_ file: URL) throws -> [CollectedKey] {
    var collector = RecordCollector()
    try RDBParser().parse(path: file.path, into: &collector)
    return collector.keys
  }

  /// Runs `rdbtool split` and returns the `count` files it must have written.
  private func split(_ inputs: [URL], _ options: [String], into directory: URL, count: Int)
    throws -> [URL]
  {
    let name = options.contains("--name") ? "r" : "shard"
    let naming = options.contains("--name") ? [] : ["--name", name]
    let run = try RDBToolBinary.run(
      ["split", "-q"] + options + naming + inputs.map(\.path) + ["-o", directory.path])
    try #require(run.status == 0, "rdbtool split: \(run.stderr)")
    let files = (1...count).map {
      directory.appendingPathComponent(String(format: "\(name)-%04d.rdb", $0))
    }
    for file in files {
      try #require(FileManager.default.fileExists(atPath: file.path), "\(file.path) missing")
    }
    let written = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(!written.contains { $0.contains(".tmp-") }, "temporary files left: \(written)")
    return files
  }

  /// Checks that the cluster holds exactly the live keys of `input`, each on the node that
  /// owns its slot, and that every node's per-slot counts are its file's.
  private func expectClusterHolds(
    _ input: [CollectedKey], cluster: LocalCluster, ranges: SlotRanges, files: [URL]
  ) throws {
    let now = Int64(Date().timeIntervalSince1970 * 1000) + 5000
    let live = input.filter { ($0.expiresAt ?? .max) > now }
    var byNode = [[CollectedKey]](repeating: [], count: cluster.nodes.count)
    for key in live {
      byNode[ranges.shard(ofSlot: ReferenceSlot.slot(of: unhex(key.keyHex)))].append(key)
    }
    var problems: [String] = []
    for (index, node) in cluster.nodes.enumerated() {
      let client = try node.client()
      let size = try client.call("DBSIZE").integer ?? -1
      if size != byNode[index].count {
        problems.append("node \(index + 1) holds \(size) keys, \(byNode[index].count) expected")
      }
      let held = try PipelinedContents.read(byNode[index].map { unhex($0.keyHex) }, from: client)
      for (ours, theirs) in zip(byNode[index], held) {
        let label = "node \(index + 1) key \(ours.keyHex)"
        if theirs.type != ours.type {
          problems.append("\(label): type \(theirs.type), expected \(ours.type)")
        } else if ExpectedComparison.valueText(theirs) != ExpectedComparison.valueText(ours) {
          problems.append("\(label): value differs")
        } else if theirs.expiresAt != ours.expiresAt {
          problems.append(
            "\(label): expiry \(theirs.expiresAt ?? -1), expected \(ours.expiresAt ?? -1)")
        }
      }
      // CLUSTER COUNTKEYSINSLOT for every slot the node owns, against its file.
      var fileCounts: [Int: Int] = [:]
      for key in try collect(files[index]) where (key.expiresAt ?? .max) > now {
        fileCounts[HashSlot.slot(of: unhex(key.keyHex).span), default: 0] += 1
      }
      let slots = ranges.shards[index].flatMap { Array($0) }
      let counts = try client.pipeline(
        slots.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"].map { Array($0.utf8) } })
      for (slot, count) in zip(slots, counts) where (count.integer ?? -1) != fileCounts[slot] ?? 0 {
        problems.append("node \(index + 1) slot \(slot): \(count), file \(fileCounts[slot] ?? 0)")
      }
      if fileCounts.keys.contains(where: { ranges.shard(ofSlot: $0) != index }) {
        problems.append("file \(index + 1) holds keys of slots its node does not own")
      }
    }
    #expect(live.count > 0)
    let count = problems.count
    #expect(count == 0, "\(problems.prefix(20).joined(separator: "\n"))")
  }

  /// `rdbtool merge` of the split files holds the input's keys, values and expiries.
  private func expectMergeGivesBack(_ input: [CollectedKey], from files: [URL], directory: URL)
    throws
  {
    let merged = directory.appendingPathComponent("merged.rdb")
    let run = try RDBToolBinary.run(["merge", "-q"] + files.map(\.path) + ["-o", merged.path])
    try #require(run.status == 0, "rdbtool merge: \(run.stderr)")
    func canonical(_ keys: [CollectedKey]) -> [String] {
      keys.map { key in
        "\(key.database) \(key.keyHex) \(key.type) \(key.expiresAt ?? -1) "
          + ExpectedComparison.valueText(key)
      }.sorted()
    }
    let back = try collect(merged)
    #expect(back.count == input.count)
    #expect(canonical(back) == canonical(input))
  }

  /// Merging a file with itself names a duplicate key and writes nothing.
  private func expectDuplicateMergeFails(_ file: URL, directory: URL) throws {
    let output = directory.appendingPathComponent("twice.rdb")
    let run = try RDBToolBinary.run(["merge", "-q", file.path, file.path, "-o", output.path])
    #expect(run.status == 1)
    let first = try #require(try collect(file).first)
    let name = String(decoding: unhex(first.keyHex), as: UTF8.self)
    #expect(run.stderr.contains("key \"\(name)\""), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(!left.contains { $0.hasPrefix("twice.rdb") }, "\(left)")
  }
}

/// The bytes a lowercase hex string spells.
private func unhex(_ text: String) -> [UInt8] {
  var bytes: [UInt8] = []
  var index = text.startIndex
  while index < text.endIndex {
    let next = text.index(index, offsetBy: 2)
    bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
    index = next
  }
  return bytes
}
