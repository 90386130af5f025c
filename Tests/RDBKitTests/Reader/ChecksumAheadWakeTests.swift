import Foundation
import Testing

@testable import RDBKit

/// ``ChecksumAhead`` driven step by step as ``ByteSource`` drives it: its worker, woken
/// ``ChecksumAhead/wakeSteps`` steps at a time by a broadcast made outside the lock, stays
/// within ``ChecksumAhead/lead`` steps ahead of the parser and ``ChecksumAhead/lag`` behind,
/// and each step's CRC is that of the bytes up to its end, whether the parser pauses, reports
/// every step, or asks for a CRC far past what it reported.
@Suite struct ChecksumAheadWakeTests {
  static let step = 4096
  static let steps = 300

  static func bytes() -> [UInt8] {
    var random = SplitMix64(seed: 0x57E9)
    return (0..<step * steps).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }

  @Test(arguments: [false, true])
  func theWorkerFollowsTheParser(pauses: Bool) {
    Self.bytes().withUnsafeBytes { buffer in
      let ahead = unsafe ChecksumAhead(bytes: buffer, step: Self.step)
      defer { ahead.stop() }
      for reached in 1...Self.steps {
        if pauses, reached % 7 == 0 { usleep(300) }
        let done = ahead.parserReached(reached)
        #expect(done + ChecksumAhead.lag >= reached)
        #expect(done <= reached + ChecksumAhead.lead)
      }
      for count in [1, 2, 150, Self.steps] {
        let prefix = unsafe UnsafeRawBufferPointer(rebasing: buffer[..<(count * Self.step)])
        let expected = unsafe CRC64.update(0, prefix)
        #expect(ahead.checksum(through: count) == expected)
      }
    }
  }

  /// A worker asleep one step short of being woken still runs when the parser asks for a
  /// CRC past its lead (the end of the RDB comes before the next report).
  @Test func aChecksumPastTheLeadWakesTheWorker() {
    Self.bytes().withUnsafeBytes { buffer in
      let ahead = unsafe ChecksumAhead(bytes: buffer, step: Self.step)
      defer { ahead.stop() }
      _ = ahead.parserReached(1)
      usleep(20_000)
      _ = ahead.parserReached(2)
      for count in [200, Self.steps] {
        let prefix = unsafe UnsafeRawBufferPointer(rebasing: buffer[..<(count * Self.step)])
        let expected = unsafe CRC64.update(0, prefix)
        #expect(ahead.checksum(through: count) == expected)
      }
    }
  }
}
