import Foundation
import RDBKit
import Testing

/// `KEY_META` (opcode 243, RDB 13): reported to the key it precedes, byte for byte, and
/// malformed records end in typed errors.
@Suite struct KeyMetadataTests {
  /// Records metadata events with the key they came with.
  struct MetadataLog: RDBHandler {
    var events: [String] = []
    var skips: Set<String> = []
    mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
      let name = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
      events.append("key \(name) classes=\(info.metadataClassCount)")
      return skips.contains(name) ? .skip : .decode
    }
    mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan) {
      events.append("meta \(metadata) \(hex(payload))")
    }
  }

  /// The spec of `KMT1`, version 1, flags 1, as in the file (little-endian).
  static let spec: [UInt8] = [0x09, 0xF5, 0xC4, 0x28]
  static let items = ModuleImage.string("abc") + ModuleImage.unsigned(1) + [0]

  static func image(classes: UInt64 = 1, then next: (inout RDBImageBuilder) -> Void) -> [UInt8] {
    var image = RDBImageBuilder(version: 13)
    image.byte(0xF3)
    image.length(classes)
    for _ in 0..<classes { image.raw(spec + items) }
    next(&image)
    image.key(type: 0, "b")
    image.string("w")
    return image.finished()
  }

  static func log(_ bytes: [UInt8], skipping: Set<String> = []) throws -> [String] {
    var log = MetadataLog()
    log.skips = skipping
    try RDBParser().parse(bytes, into: &log)
    for seed in [1, 2] as [UInt64] {
      var streamed = MetadataLog()
      streamed.skips = skipping
      try RDBParser().parse(
        input: ChunkedInput(bytes, seed: seed, maximumChunk: 3), into: &streamed)
      #expect(streamed.events == log.events)
    }
    return log.events
  }

  @Test func specDecodes() {
    let metadata = KeyMetadataClass(spec: 0x28C4_F509)
    #expect(metadata.name == "KMT1" && metadata.version == 1 && metadata.flags == 1)
    #expect(metadata.allowsIgnore)
    #expect(KeyMetadataClass(spec: 0x28C4_F618).description == "KMT2 (version 3, flags 0)")
  }

  @Test func attachedToTheNextKeyOnly() throws {
    let bytes = Self.image(classes: 2) { image in
      image.key(type: 0, "a")
      image.string("v")
    }
    let payload = hexBytes(Self.items)
    #expect(
      try Self.log(bytes) == [
        "key a classes=2", "meta KMT1 (version 1, flags 1) \(payload)",
        "meta KMT1 (version 1, flags 1) \(payload)", "key b classes=0",
      ])
    #expect(try Self.log(bytes, skipping: ["a"]) == ["key a classes=2", "key b classes=0"])
  }

  @Test func mustBeFollowedByItsKey() {
    var offset = 0
    let bytes = Self.image { image in
      offset = image.offset
      image.byte(0xFE)
      image.length(1)
    }
    expectFailure(bytes, .invalidValue, at: offset, key: nil)
  }

  @Test func atMostSevenClasses() {
    let bytes = Self.image(classes: 8) { _ in }
    expectFailure(bytes, RDBError(.invalidValue("KEY_META holds 8 classes, more than 7"), at: 9))
  }

  @Test func badItemsAreUnreadable() {
    var image = RDBImageBuilder(version: 13)
    image.byte(0xF3)
    image.length(1)
    image.raw(Self.spec)
    let offset = image.offset
    image.raw([6, 0])
    image.key(type: 0, "b")
    image.string("w")
    expectFailure(image.finished(), .unreadableModule, at: offset, key: nil)
  }
}
