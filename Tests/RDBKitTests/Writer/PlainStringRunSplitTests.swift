import Testing

@testable import RDBKit

/// The record scan's second chain (``PlainStringRun/scanInTwo(_:unchecked:into:capacity:)``)
/// starts at a guessed record start; its records count only when the first chain ends
/// exactly there. Windows whose values hold bytes that look like record starts, damaged at
/// random places, with every bound small and large: the scan notes the records one chain
/// alone notes, and no others.
@Suite struct PlainStringRunSplitTests {
  /// Plain string records whose values are often a copy of a record (`00`, a name length, a
  /// name, a value), so that a guess lands inside a value and looks like a start.
  static func window(seed: UInt64, records: Int) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    var bytes: [UInt8] = []
    for index in 0..<records {
      let name = Array("k:\(index % 10_000_000)".utf8)
      bytes += [0, UInt8(name.count)] + name
      switch random.next() % 6 {
      case 0: bytes += [0xC0, UInt8(truncatingIfNeeded: random.next())]
      case 1: bytes += [0xC1, 0, 0]
      case 2: bytes += [0xC2, 0, 0, 0, 0]
      case 3:
        let fake: [UInt8] = [0, 3, 0x6B, 0x3A, 0x31, 2, 0, 0, 0]
        bytes += [UInt8(fake.count)] + fake
      default:
        let length = Int(random.next() % 64)
        bytes += [UInt8(length)] + (0..<length).map { _ in UInt8(random.next() % 4) }
      }
    }
    return bytes + [UInt8](repeating: 0xFF, count: PlainStringRun.reach)
  }

  /// The starts one chain notes, as the scan noted them before it had two.
  static func oneChain(_ base: UnsafeRawPointer, held: Int, limit: Int, capacity: Int)
    -> [UInt16]
  {
    var starts: [UInt16] = []
    var end = 0
    while starts.count < capacity, end < limit,
      let next = unsafe PlainStringRun.end(ofRecordAt: end, in: base, limit: held)
    {
      starts.append(UInt16(end))
      end = next
    }
    return starts + [UInt16(end)]
  }

  /// The starts ``PlainStringRun/scan(_:held:limit:into:capacity:)`` notes, then where the
  /// last record ends.
  static func scanned(_ bytes: [UInt8], held: Int, limit: Int, capacity: Int) -> [UInt16] {
    var starts = [UInt16](repeating: 0xFFFF, count: capacity + 1)
    let count = bytes.withUnsafeBytes { window in
      starts.withUnsafeMutableBufferPointer { buffer in
        guard let base = window.baseAddress, let first = buffer.baseAddress else { return -1 }
        return unsafe PlainStringRun.scan(
          base, held: held, limit: limit, into: first, capacity: capacity)
      }
    }
    return Array(starts.prefix(count + 1))
  }

  /// How many records the two chains note together (``PlainStringRun/scanInTwo(_:unchecked:into:capacity:)``)
  /// in a whole window: more than the first chain's share only when the second joined it.
  static func notedInTwo(_ bytes: [UInt8]) -> Int {
    var starts = [UInt16](repeating: 0, count: 501)
    return bytes.withUnsafeBytes { window in
      starts.withUnsafeMutableBufferPointer { buffer in
        guard let base = window.baseAddress, let first = buffer.baseAddress else { return 0 }
        return unsafe PlainStringRun.scanInTwo(
          base, unchecked: bytes.count - PlainStringRun.reach, into: first, capacity: 500
        ).count
      }
    }
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func theScanNotesWhatOneChainNotes(seed: UInt64) {
    var random = SplitMix64(seed: seed &* 77)
    var joined = 0
    for round in 0..<300 {
      var bytes = Self.window(seed: seed &* 1_000 &+ UInt64(round), records: 700)
      let length = bytes.count - PlainStringRun.reach
      if round % 3 != 0 {
        let damaged = Int(random.next() % UInt64(length))
        bytes[damaged] = UInt8(truncatingIfNeeded: random.next())
      }
      let held = round % 5 == 0 ? Int(random.next() % UInt64(length)) : bytes.count
      let limit = min(held, round % 4 == 0 ? Int(random.next() % 40_000) : 1 << 15)
      let capacity = [500, 500, 300, 20, 9][round % 5]
      let expected = bytes.withUnsafeBytes { window in
        guard let base = window.baseAddress else { return [UInt16]() }
        return Self.oneChain(base, held: held, limit: limit, capacity: capacity)
      }
      let found = Self.scanned(bytes, held: held, limit: limit, capacity: capacity)
      #expect(found == expected, "seed \(seed), round \(round)")
      if round % 3 == 0, Self.notedInTwo(bytes) > 300 { joined += 1 }
    }
    #expect(joined > 20)
  }
}
