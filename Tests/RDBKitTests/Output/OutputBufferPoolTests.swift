import Foundation
import SystemPackage
import Testing

@testable import RDBKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffers that grow into an ``OutputBufferPool``'s blocks: a block goes back once its text is
/// copied or written, and the next buffer to grow takes it, on whichever thread; a text larger
/// than a block leaves it and grows as before; every byte arrives in order.
@Suite struct OutputBufferPoolTests {
  /// `count` bytes of `seed`'s pattern.
  private func text(_ seed: Int, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7) }
  }

  /// A helper thread formats one text per round into its buffer while the calling thread
  /// formats the next into its own; the calling thread writes both in order, lent to the
  /// background writer (or copied when short). Two blocks serve both buffers all along.
  @Test func blocksGoRoundBetweenThreads() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("pool-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    let pool = OutputBufferPool(blockBytes: 1 << 17, limit: 2)
    let rounds = 40
    var expected: [UInt8] = []
    var counts = (made: 0, free: 0)
    do {
      let output = OutputBuffer(descriptor: descriptor, blockSize: 4096, writesInBackground: true)
      let helperText = OutputBuffer(pool: pool)
      let ownText = OutputBuffer(holding: 1 << 17, pool: pool)
      let start = UnsafeMutablePointer<sem_t>.allocate(capacity: 2)
      let done = start + 1
      unsafe sem_init(start, 0, 0)
      unsafe sem_init(done, 0, 0)
      defer {
        unsafe sem_destroy(start)
        unsafe sem_destroy(done)
        unsafe start.deallocate()
      }
      let helperRounds = (0..<rounds).map { text($0, count: 20_000 + $0 * 2_000) }
      let started = DetachedThread.start {
        for round in 0..<rounds {
          while unsafe sem_wait(start) != 0 {}
          unsafe helperRounds[round].withUnsafeBytes { unsafe helperText.append($0) }
          unsafe sem_post(done)
        }
      }
      #expect(started)
      for round in 0..<rounds {
        // Each buffer is written to again only once its last text is written.
        output.reclaim(helperText)
        output.reclaim(ownText)
        unsafe sem_post(start)
        let own = text(1000 + round, count: 90_000 - round * 1_500)
        unsafe own.withUnsafeBytes { unsafe ownText.append($0) }
        while unsafe sem_wait(done) != 0 {}
        try output.append(lending: helperText)
        expected += helperRounds[round]
        try output.append(lending: ownText)
        expected += own
        output.append(UInt8(ascii: "\n"))
        expected.append(UInt8(ascii: "\n"))
        try output.flushIfFull()
        #expect(pool.counts.made <= 2)
      }
      try output.flush()
      counts = pool.counts
    }
    try descriptor.close()
    let written = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(written.count == expected.count)
    #expect(written == expected)
    #expect(counts.made == 2)
    #expect(counts.free == 2, "both blocks back once every text is written")
  }

  /// A text larger than a block: the buffer leaves the block (given back, for the next
  /// buffer) and grows as a buffer without a pool; its bytes stay whole.
  @Test func aTextLargerThanABlockLeavesIt() throws {
    let pool = OutputBufferPool(blockBytes: 4096, limit: 1)
    let first = OutputBuffer(pool: pool)
    let head = text(1, count: 3000)
    first.append(contentsOf: head)
    #expect(pool.counts == (made: 1, free: 0))
    let rest = text(2, count: 10_000)
    first.append(contentsOf: rest)
    #expect(pool.counts == (made: 1, free: 1))
    #expect(first.bytes(in: 0..<first.count) == head + rest)
    // The next buffer takes the same block; one that grows while it is out grows alone.
    let second = OutputBuffer(pool: pool)
    second.append(contentsOf: head)
    let third = OutputBuffer(pool: pool)
    third.append(contentsOf: rest)
    #expect(pool.counts == (made: 1, free: 0))
    #expect(second.bytes(in: 0..<second.count) == head)
    #expect(third.bytes(in: 0..<third.count) == rest)
    // Emptied, the block goes back, and the buffer writes into its own room again.
    second.truncate(to: 0)
    second.giveBackBlock()
    #expect(pool.counts == (made: 1, free: 1))
    second.append(contentsOf: text(3, count: 100))
    #expect(second.bytes(in: 0..<100) == text(3, count: 100))
    #expect(pool.counts == (made: 1, free: 1))
  }
}
