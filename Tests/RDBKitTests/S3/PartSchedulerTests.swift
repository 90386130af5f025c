import Synchronization
import Testing

@testable import RDBKit
@testable import RDBS3

/// The download window that bounds memory to maxInFlight parts.
@Suite struct PartSchedulerTests {
  @Test func claimsStayWithinTheWindow() async throws {
    let scheduler = PartScheduler(partCount: 5, maxInFlight: 2)
    #expect(scheduler.claim() == 0)
    #expect(scheduler.claim() == 1)
    scheduler.complete(0, bytes: [1])
    scheduler.complete(1, bytes: [2])
    #expect(try scheduler.take(0) == [1])
    // Part 0 is still being read: a third claim must wait until it is released.
    let claimed = Mutex(false)
    let third = Task.detached {
      let part = scheduler.claim()
      claimed.withLock { $0 = true }
      return part
    }
    try await Task.sleep(for: .milliseconds(200))
    #expect(claimed.withLock { $0 } == false, "a third part was claimed with a window of 2")
    scheduler.release(0)
    #expect(await third.value == 2)
  }

  @Test func failureWakesTheReader() {
    let scheduler = PartScheduler(partCount: 3, maxInFlight: 1)
    scheduler.fail(S3Error(.throttled, bucket: "b", key: "k"))
    #expect(throws: S3Error(.throttled, bucket: "b", key: "k")) { try scheduler.take(0) }
    #expect(scheduler.claim() == nil)
  }
}
