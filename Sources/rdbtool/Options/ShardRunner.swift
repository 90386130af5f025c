import Foundation
import Synchronization

/// Runs one job per input (one per shard of an export) on all cores, and returns the
/// results in input order.
enum ShardRunner {
  static func map<T: Sendable>(_ inputs: [InputSource], _ body: @Sendable (InputSource) -> T) -> [T]
  {
    guard inputs.count > 1 else { return inputs.map(body) }
    let results = Mutex<[Int: T]>([:])
    DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
      let result = body(inputs[index])
      results.withLock { $0[index] = result }
    }
    return results.withLock { finished in inputs.indices.compactMap { finished[$0] } }
  }

  /// Runs `body` for each input like ``map(_:_:)``; once all are done, reports each input that
  /// failed as `rdbtool: INPUT: message`, in input order, and returns the other results.
  static func mapReportingFailures<T: Sendable>(
    _ inputs: [InputSource], _ body: @Sendable (InputSource) throws -> T
  ) -> [T] {
    let results = map(inputs) { source -> Result<T, InputFailureReport> in
      do {
        return .success(try body(source))
      } catch {
        return .failure(
          InputFailureReport(name: source.name, message: InputFailure.describe(error)))
      }
    }
    return results.compactMap { result in
      switch result {
      case .success(let value): return value
      case .failure(let failure):
        StandardError.report(failure.name, failure.message)
        return nil
      }
    }
  }
}

/// A failure to read one input, for commands that go on with the others.
private struct InputFailureReport: Error, Sendable {
  var name: String
  var message: String
}
