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
}
