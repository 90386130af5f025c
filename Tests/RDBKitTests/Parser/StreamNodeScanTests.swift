import Testing

@testable import RDBKit

/// ``StreamNodeScan`` against the walk it stands in for (``Decoder/readStreamNode(_:master:walk:origin:into:)``):
/// it reads the nodes servers write, and any node it reads, damaged ones included, it reads
/// as the walk does; the others it leaves to the walk.
@Suite struct StreamNodeScanTests {
  /// A handler that measures lengths and reads no element, as `memory`'s.
  struct Measuring: RDBHandler {
    static var needsStringValues: Bool { false }
    static var needsPackedElements: Bool { false }
    static var needsPackedElementLengths: Bool { true }
  }

  /// What the walk finds in `node`, as the scan gives it; nil when it throws or notes an
  /// entry out of order.
  static func walk(_ node: [UInt8], master: StreamID) -> StreamNodeScan? {
    node.withUnsafeBytes { bytes in
      var decoder = unsafe Decoder(
        source: ByteSource(
          bytes: UnsafeRawBufferPointer(start: nil, count: 0), releasesPages: false,
          progress: nil))
      defer { decoder.release() }
      do {
        var reader = unsafe try ListpackReader(bytes, origin: 0, checksCount: false)
        guard !reader.isAtEnd else { return nil }
        var walk = StreamWalk()
        walk.defersOrderWarning = true
        var handler = Measuring()
        let largest = try decoder.readStreamNode(
          &reader, master: master, walk: &walk, origin: 0, into: &handler)
        guard walk.disorder == nil else { return nil }
        return StreamNodeScan(
          largest: largest, liveEntries: walk.liveEntries, firstID: walk.firstID,
          lastID: walk.previousID, elements: reader.count)
      } catch {
        return nil
      }
    }
  }

  static func scan(_ node: [UInt8], master: StreamID) -> StreamNodeScan? {
    node.withUnsafeBytes { unsafe StreamNodeScan.scan($0, master: master) }
  }

  static func same(_ a: StreamNodeScan, _ b: StreamNodeScan) -> Bool {
    a.largest == b.largest && a.liveEntries == b.liveEntries && a.firstID == b.firstID
      && a.lastID == b.lastID && a.elements == b.elements
  }

  static let master = StreamID(milliseconds: 1_700_000_000_000, sequence: 7)

  /// A value of every listpack form: strings around each length form's and backlen's limits,
  /// integers of each width, signs included.
  static let values: [ListpackElement] = [
    .string([]), .string(Array("v".utf8)), .string([UInt8](repeating: 0x61, count: 63)),
    .string([UInt8](repeating: 0xBF, count: 64)), .string([UInt8](repeating: 0x62, count: 125)),
    .string([UInt8](repeating: 0x63, count: 126)), .string([UInt8](repeating: 0xE0, count: 300)),
    .stringForced(Array("short".utf8), bits: 12), .stringForced(Array("s".utf8), bits: 32),
    .uint7(0), .uint7(127), .int13(-4096), .int13(4095), .int16(-32768), .int16(1000),
    .int24(-8_388_608), .int24(974_063), .int32(Int32.min), .int32(123_456_789),
    .int64(Int64.min), .int64(Int64.max),
  ]

  /// Nodes as servers write them, and a few they never do but the walk accepts.
  static var nodes: [[UInt8]] {
    var nodes: [[UInt8]] = []
    // Entries that share the master fields, with every form of value among them.
    var entries: [StreamNodeEntry] = []
    for (index, _) in values.enumerated() {
      entries.append(
        StreamNodeEntry(
          msDelta: Int64(index / 3), seqDelta: Int64(index % 3), fields: [("f", "x"), ("g", "y")],
          deleted: index % 5 == 4, sameFields: index % 2 == 0))
    }
    nodes.append(StreamImage.node(masterFields: ["f", "g"], entries: entries))
    nodes.append(
      StreamImage.node(masterFields: ["field", "other"], entries: entries, count: 0xFFFF))
    nodes.append(StreamImage.node(masterFields: [], entries: []))
    // Values written in each form, then the same node with a deleted entry holding the longest.
    for deleted in [false, true] {
      var elements: [ListpackElement] = [
        .uint7(UInt8(values.count - (deleted ? 1 : 0))), .uint7(deleted ? 1 : 0), .uint7(1),
        .string(Array("name".utf8)), .uint7(0),
      ]
      for (index, value) in values.enumerated() {
        let isDeleted = deleted && index == 6
        elements += [
          .uint7(isDeleted ? 3 : 2), .int13(Int16(index)), .int64(Int64(index) - 3), value,
          .uint7(4),
        ]
      }
      nodes.append(listpack(elements))
    }
    // Flags, counts and ID deltas as 13-bit integers (negative sequence deltas, the limits)
    // between entries whose are 7-bit.
    nodes.append(
      listpack([
        .uint7(4), .uint7(0), .uint7(1), .string(Array("f".utf8)), .uint7(0),
        .uint7(2), .uint7(0), .int13(-3), .string(Array("a".utf8)), .uint7(4),
        .uint7(2), .int13(1), .int13(-1), .uint7(7), .uint7(4),
        .int13(2), .int13(4095), .uint7(0), .int13(-4096), .int13(4),
        .uint7(2), .int13(4095), .uint7(5), .string([UInt8](repeating: 0x70, count: 40)),
        .uint7(4),
      ]))
    // Own fields with long names, counts written wide, and an ID delta of every width.
    nodes.append(
      listpack([
        .int16(2), .int24(0), .int32(1), .string([UInt8](repeating: 0x6D, count: 200)), .int64(0),
        .uint7(0), .int16(-1), .int24(3), .uint7(1), .string([UInt8](repeating: 0x6E, count: 70)),
        .int32(-5), .uint7(6),
        .uint7(0), .int32(9), .int64(Int64.min), .uint7(1), .string(Array("k".utf8)),
        .string([UInt8](repeating: 0x6F, count: 4000)), .uint7(6),
      ]))
    return nodes
  }

  @Test func readsTheNodesServersWrite() throws {
    for node in Self.nodes {
      let walked = try #require(Self.walk(node, master: Self.master))
      let scanned = try #require(Self.scan(node, master: Self.master))
      #expect(Self.same(scanned, walked))
    }
  }

  /// Every node it reads after damage (bytes changed, cut, inserted) is read as the walk
  /// reads it.
  @Test func readsNoDamagedNodeOtherwiseThanTheWalk() {
    var generator = SystemRandomNumberGenerator()
    var seed = UInt64.random(in: 0...UInt64.max, using: &generator)
    func next() -> UInt64 {
      // SplitMix64: a failure is repeatable from the seed printed with it.
      seed &+= 0x9E37_79B9_7F4A_7C15
      var z = seed
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let start = seed
    var read = 0
    for node in Self.nodes {
      for _ in 0..<3000 {
        var damaged = node
        for _ in 0...(next() % 3) {
          let position = 4 + Int(next() % UInt64(damaged.count - 4))
          switch next() % 4 {
          case 0: damaged[position] ^= UInt8(1 << (next() % 8))
          case 1: damaged[position] = UInt8(truncatingIfNeeded: next())
          case 2: damaged.insert(UInt8(truncatingIfNeeded: next()), at: position)
          default: damaged.remove(at: position)
          }
        }
        // Mostly with the header's length made right, so that the damage reaches the walk.
        if next() % 4 != 0 {
          let total = UInt32(damaged.count)
          for index in 0..<4 { damaged[index] = UInt8(truncatingIfNeeded: total >> (8 * index)) }
        }
        guard let scanned = Self.scan(damaged, master: Self.master) else { continue }
        read += 1
        let walked = Self.walk(damaged, master: Self.master)
        #expect(walked.map { Self.same(scanned, $0) } == true, "seed \(start)")
      }
    }
    #expect(read > 0)
  }
}
