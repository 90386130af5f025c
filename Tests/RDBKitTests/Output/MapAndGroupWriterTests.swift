import Testing

@testable import RDBKit

/// The shortcuts of the JSON writers' helpers against what they stand in for: a stream entry's
/// repeated field found whatever the lengths of the fields before it, and a pending entry's
/// owner found whether the group's pending entries are in ID order or not.
@Suite struct MapAndGroupWriterTests {
  /// The text an OutputBuffer holds.
  private func text(_ output: OutputBuffer) -> String {
    String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
  }

  /// Random field lists of names whose lengths collide mod 64 (3, 67, 131 bytes) and repeat:
  /// the entry becomes pairs exactly when a name repeats.
  @Test func repeatedFieldsAreFoundWhateverTheirLengths() {
    let long = { (letter: String, count: Int) in String(repeating: letter, count: count) }
    let names = ["abc", "abd", long("x", 67), long("y", 67), "q", long("z", 131), "abc "]
    var random = SplitMix64(seed: 0x5EED)
    for _ in 0..<2000 {
      let count = 1 + random.below(6)
      let fields = (0..<count).map { _ in names[random.below(names.count)] }
      let output = OutputBuffer()
      var map = MapWriter()
      map.begin(at: 0, checksRepeats: true)
      for field in fields {
        var bytes = Array(field.utf8)
        bytes.withUnsafeMutableBytes { raw in
          unsafe map.beginEntry(key: UnsafeRawBufferPointer(raw), style: .utf8, in: output)
        }
        output.append(UInt8(ascii: "1"))
      }
      map.end(in: output)
      let repeats = Set(fields).count < fields.count
      #expect(text(output).hasPrefix("[") == repeats, "\(fields)")
    }
  }

  /// What the group writer writes for pending entries given in `order` (indices into four
  /// IDs), owned as `owners` says (consumer index per ID index, a later consumer replacing an
  /// earlier one).
  private func groupText(order: [Int], owners: [[Int]]) -> String {
    let ids = (0..<4).map { StreamID(milliseconds: 100, sequence: UInt64($0)) }
    let output = OutputBuffer()
    var writer = StreamGroupWriter()
    writer.writeMetadata(
      StreamMetadata(
        length: 4, lastID: ids[3], firstID: nil, maxDeletedID: nil, entriesAdded: nil,
        groupCount: 1),
      to: output)
    var group = Array("g".utf8)
    group.withUnsafeMutableBytes { raw in
      unsafe writer.beginGroup(
        name: UnsafeRawBufferPointer(raw),
        info: StreamGroupInfo(lastDeliveredID: ids[3], entriesRead: nil, pendingCount: 4),
        style: .utf8, to: output)
    }
    for index in order { writer.addPending(id: ids[index], deliveryTime: 7, deliveryCount: 1) }
    for (consumer, owned) in owners.enumerated() {
      var name = Array("c\(consumer)".utf8)
      name.withUnsafeMutableBytes { raw in
        unsafe writer.beginConsumer(
          name: UnsafeRawBufferPointer(raw),
          info: StreamConsumerInfo(seenTime: 1, activeTime: nil, pendingCount: 0),
          style: .utf8, to: output)
      }
      for index in owned { writer.addConsumerPending(id: ids[index]) }
    }
    writer.finish(to: output)
    return text(output)
  }

  /// The owner of each pending entry, in the order the group lists them, read off the text.
  private func ownersWritten(_ text: String) -> [String] {
    text.components(separatedBy: "\"consumer\":").dropFirst().map {
      String($0.prefix { $0 != "," })
    }
  }

  @Test(arguments: [[0, 1, 2, 3], [2, 0, 3, 1], [3, 2, 1, 0], [0, 2, 1, 3]])
  func pendingEntriesGetTheirOwnersInAnyOrder(order: [Int]) {
    // c0 owns 0 and 3, c1 owns 1 and takes 3 over; 2 has no owner.
    let written = ownersWritten(groupText(order: order, owners: [[0, 3], [1, 3]]))
    let expected = ["\"c0\"", "\"c1\"", "null", "\"c1\""]
    #expect(written == order.map { expected[$0] })
  }
}
