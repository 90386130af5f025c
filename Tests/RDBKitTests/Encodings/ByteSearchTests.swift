import Testing

@testable import RDBKit

/// ``UnsafeRawBufferPointer/firstIndex(of:from:)``, which scans key names eight bytes at a
/// time and reads the last 1–7 bytes in one word: the same answers as a byte-by-byte search,
/// for every start in buffers of 0–40 bytes.
@Suite struct ByteSearchTests {
  @Test func findsWhatABytewiseSearchFinds() {
    var generator = SplitMix64(seed: 0xB17E_5EA2)
    for _ in 0..<2000 {
      let count = Int.random(in: 0...40, using: &generator)
      // Few distinct values, so that matches, near-matches (0x3A ± 1) and zeros all occur.
      let bytes = (0..<count).map { _ in
        [0x00, 0x39, 0x3A, 0x3B, 0xBA, 0xFF][Int.random(in: 0...5, using: &generator)] as UInt8
      }
      for byte: UInt8 in [0x3A, 0x00, 0xFF] {
        for start in 0...count {
          let expected = bytes[start...].firstIndex(of: byte)
          let found = unsafe bytes.withUnsafeBytes { unsafe $0.firstIndex(of: byte, from: start) }
          #expect(found == expected, "\(bytes) from \(start)")
        }
      }
    }
  }
}
