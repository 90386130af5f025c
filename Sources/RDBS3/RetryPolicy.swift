import Foundation
import RDBKit

/// How often and how patiently failed S3 requests are retried.
///
/// Retried: connection errors and timeouts, HTTP 500/502/503/504, `SlowDown` and other
/// throttling codes. The delay before attempt `n + 1` is `random(0...1) × min(base × 2^(n-1),
/// maxDelay)` ("full jitter", as botocore's standard mode), with a larger base for throttling.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts in all, the first included; at least 1.
  public var maxAttempts: Int
  /// The base delay in seconds for connection and server errors.
  public var baseDelay: Double
  /// The base delay in seconds for throttling (`SlowDown`).
  public var throttlingBaseDelay: Double
  /// The longest delay in seconds.
  public var maxDelay: Double

  /// Five attempts, 0.05 s base (1 s when throttled), at most 20 s between attempts.
  public init(
    maxAttempts: Int = 5, baseDelay: Double = 0.05, throttlingBaseDelay: Double = 1,
    maxDelay: Double = 20
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.throttlingBaseDelay = throttlingBaseDelay
    self.maxDelay = maxDelay
  }

  /// The delay in seconds after failed attempt number `attempt` (1-based).
  public func delay(afterAttempt attempt: Int, throttled: Bool) -> Double {
    let base = throttled ? throttlingBaseDelay : baseDelay
    let exponential = base * pow(2, Double(max(0, attempt - 1)))
    return Double.random(in: 0...1) * min(exponential, maxDelay)
  }

  /// Sleeps for the delay after `attempt`.
  func pause(afterAttempt attempt: Int, for error: S3Error) {
    let seconds = delay(afterAttempt: attempt, throttled: error.kind == .throttled)
    if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
  }
}
