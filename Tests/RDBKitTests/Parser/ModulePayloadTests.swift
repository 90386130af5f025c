import Foundation
import RDBKit
import Testing

/// ``RDBHandler/modulePayload(_:)``: the bytes after a module value's key name or after the
/// MODULE_AUX opcode, identical on the mapped and the pipe path, and a whole module stream.
@Suite struct ModulePayloadTests {
  /// Collects payloads with what they belong to.
  struct PayloadCollector: RDBHandler {
    static var needsModulePayloads: Bool { true }
    var owners: [String] = []
    var payloads: [[UInt8]] = []
    var valueBytes: [Int] = []
    mutating func moduleAux(_ module: ModuleType) { owners.append("aux \(module.name)") }
    mutating func moduleValue(_ module: ModuleType) { owners.append("value \(module.name)") }
    mutating func modulePayload(_ bytes: RawSpan) {
      payloads.append(bytes.withUnsafeBytes { Array($0) })
    }
    mutating func endKey(_ summary: KeySummary) {
      if summary.encoding == .raw, owners.count > valueBytes.count {
        valueBytes.append(summary.valueBytes)
      }
    }
  }

  static func collect(_ bytes: [UInt8]) throws -> PayloadCollector {
    var mapped = PayloadCollector()
    try RDBParser().parse(bytes, into: &mapped)
    for (seed, chunk) in [(1, 1), (2, 7), (3, 4096)] as [(UInt64, Int)] {
      var streamed = PayloadCollector()
      try RDBParser().parse(
        input: ChunkedInput(bytes, seed: seed, maximumChunk: chunk), into: &streamed)
      #expect(streamed.owners == mapped.owners)
      #expect(streamed.payloads == mapped.payloads, "chunks of up to \(chunk) bytes")
    }
    return mapped
  }

  /// A payload after its module id (and AUX header) is one whole opcode stream.
  static func expectWholeStream(_ payload: [UInt8], header: Int) throws {
    let items = try payload.withUnsafeBytes { bytes throws(RDBError) in
      try ModuleItems(RawSpan(_unsafeBytes: bytes).extracting(header...))
    }
    #expect(items.byteCount == payload.count - header)
  }

  @Test func handBuiltAuxAndValue() throws {
    let auxPayload =
      ModuleImage.jsonID + [2, 2] + ModuleImage.unsigned(5) + ModuleImage.string("abc")
      + [4] + RDBImageBuilder.littleEndian(Double(1.5).bitPattern) + [0]
    let valuePayload =
      ModuleImage.jsonID + [3] + RDBImageBuilder.littleEndian(Float(2).bitPattern)
      + ModuleImage.string(Array(repeating: 0x61, count: 300)) + [1, 0x81]
      + RDBImageBuilder.bigEndian(UInt64.max) + [0]
    var image = RDBImageBuilder(version: 12)
    image.byte(0xF7)
    image.raw(auxPayload)
    image.key(type: 7, "json")
    image.raw(valuePayload)
    let collected = try Self.collect(image.finished())
    #expect(collected.owners == ["aux ReJSON-RL", "value ReJSON-RL"])
    #expect(collected.payloads == [auxPayload, valuePayload])
    #expect(collected.valueBytes == [valuePayload.count])
    try Self.expectWholeStream(auxPayload, header: 11)
    try Self.expectWholeStream(valuePayload, header: 9)
  }
}
