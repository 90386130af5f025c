import Foundation
import Testing

@testable import RDBKit

/// The lock the parse and a ``PackedBlobWorker`` share (``ReleaseHold/condition``): one
/// thread at a time, whether it got the lock spinning or sleeping, and a thread in `wait()`
/// woken by a broadcast with the lock held again.
@Suite struct SpinningConditionTests {
  /// Shared between the threads, guarded by the lock under test.
  final class Counter: @unchecked Sendable {
    let condition = SpinningCondition()
    var value = 0
    var finishedThreads = 0
  }

  /// Threads that add under the lock lose no addition: held long enough for the others to
  /// spin past ``SpinningCondition/spinLimit`` and sleep, and briefly.
  @Test(arguments: [0, 200])
  func theLockIsExclusive(holdMicroseconds: UInt32) {
    let counter = Counter()
    let threads = 4
    let rounds = holdMicroseconds > 0 ? 200 : 50_000
    for _ in 0..<threads {
      Thread {
        for _ in 0..<rounds {
          counter.condition.lock()
          let seen = counter.value
          if holdMicroseconds > 0 { usleep(holdMicroseconds) }
          counter.value = seen + 1
          counter.condition.unlock()
        }
        counter.condition.lock()
        counter.finishedThreads += 1
        counter.condition.broadcast()
        counter.condition.unlock()
      }.start()
    }
    counter.condition.lock()
    while counter.finishedThreads < threads { counter.condition.wait() }
    #expect(counter.value == threads * rounds)
    counter.condition.unlock()
  }

  /// A thread waiting for a value sees every step of another that sets it and broadcasts,
  /// and the lock is held again when `wait()` returns: the two take turns.
  @Test func waitReturnsWithTheLockAndSeesTheBroadcast() {
    let counter = Counter()
    let steps = 2_000
    Thread {
      for step in 1...steps {
        counter.condition.lock()
        // Waits for the other thread to take each step (an even value) before the next.
        while counter.value != 2 * (step - 1) { counter.condition.wait() }
        counter.value += 1
        counter.condition.broadcast()
        counter.condition.unlock()
      }
    }.start()
    counter.condition.lock()
    for step in 1...steps {
      while counter.value != 2 * step - 1 { counter.condition.wait() }
      counter.value += 1
      counter.condition.broadcast()
    }
    #expect(counter.value == 2 * steps)
    counter.condition.unlock()
  }
}
