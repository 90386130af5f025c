import Foundation
import RDBKit
import Testing

/// Module payloads and key metadata in the files Redis 8.0.6 and 8.6.3 wrote: vector sets and
/// the `keymeta` profile's `KEY_META` records, byte for byte on both input paths.
@Suite struct NewerServerPayloadTests {
  /// Handlers that do not ask get no payload, and the parse is otherwise the same.
  @Test func notDeliveredUnlessAsked() throws {
    struct Counter: RDBHandler {
      var payloads = 0
      mutating func modulePayload(_ bytes: RawSpan) { payloads += 1 }
    }
    var counter = Counter()
    try RDBParser().parse(Fixture.named("redis-8.0.6", "default").bytes(), into: &counter)
    #expect(counter.payloads == 0)
  }

  /// Vector sets in real files: mapped and chunked payloads agree, each is the value's bytes
  /// in the file, and re-parses as a module stream ending exactly at its end.
  @Test(arguments: ["redis-8.0.6/default", "redis-8.0.6/nocompress", "redis-8.6.3/keymeta"])
  func vectorSetFixtures(_ name: String) throws {
    let parts = name.split(separator: "/").map(String.init)
    let bytes = try Fixture.named(parts[0], parts[1]).bytes()
    let collected = try ModulePayloadTests.collect(bytes)
    #expect(collected.payloads.count >= 8)
    #expect(collected.payloads.count == collected.owners.count)
    #expect(collected.valueBytes == collected.payloads.map(\.count))
    let file = Data(bytes)
    for payload in collected.payloads {
      #expect(Array(payload.prefix(9)) == ModuleImage.vectorSetID)
      #expect(file.range(of: Data(payload)) != nil)
      try ModulePayloadTests.expectWholeStream(payload, header: 9)
    }
  }

  /// The `keymeta` fixture: payloads are the bytes of the file, whole module streams.
  @Test func fixturePayloadsAreModuleStreams() throws {
    let fixture = Fixture.named("redis-8.6.3", "keymeta")
    struct Payloads: RDBHandler {
      var payloads: [[UInt8]] = []
      mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan) {
        payloads.append(payload.withUnsafeBytes { Array($0) })
      }
    }
    var payloads = Payloads()
    try RDBParser().parse(fixture.bytes(), into: &payloads)
    #expect(payloads.payloads.count == 11)
    let file = Data(try fixture.bytes())
    for payload in payloads.payloads {
      let items = try payload.withUnsafeBytes { bytes throws(RDBError) in
        try ModuleItems(RawSpan(_unsafeBytes: bytes))
      }
      #expect(items.byteCount == payload.count)
      #expect(items.items.count == 4)
      #expect(file.range(of: Data(payload)) != nil)
    }
  }
}
