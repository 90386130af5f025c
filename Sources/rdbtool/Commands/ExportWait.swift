import Foundation
import RDBKit
import RDBS3

/// Polls a bucket until every shard object of an export is there.
struct ExportWait {
  let client: S3Client
  let bucket: String
  let target: String
  let shards: Int
  let timeout: Double
  let drawsProgress: Bool

  /// Why the wait ended without the export.
  struct TimedOut: Error, CustomStringConvertible {
    var found: Int
    var shards: Int
    var seconds: Int
    var description: String {
      "\(found) of \(shards) shard objects after \(seconds) s: the export is still running or "
        + "failed; see aws elasticache describe-snapshots, then wait again with a longer "
        + "--wait-timeout"
    }
  }

  /// Lists `<target>-NNNN.rdb` until there are `shards` of them, each non-empty. S3 lists an
  /// object only when its upload is complete, so a listed object is a whole file.
  /// - Returns: The shard objects, in shard order.
  func run() throws -> [S3ObjectInfo] {
    let url = try S3URL(bucket: bucket, key: target)
    let started = ContinuousClock.now
    var attempt = 0
    while true {
      let objects = try shardObjects(url)
      let elapsed = Int((ContinuousClock.now - started).components.seconds)
      if drawsProgress {
        StandardError.writeRaw(
          "\r\u{1B}[2Kwaiting for \(url)-NNNN.rdb: \(objects.count)/\(shards) shards, \(elapsed) s")
      }
      if objects.count >= shards {
        if drawsProgress { StandardError.writeRaw("\r\u{1B}[2K") }
        return objects
      }
      guard Double(elapsed) < timeout else {
        if drawsProgress { StandardError.writeRaw("\r\u{1B}[2K") }
        throw TimedOut(found: objects.count, shards: shards, seconds: elapsed)
      }
      Thread.sleep(forTimeInterval: delay(afterAttempt: attempt))
      attempt += 1
    }
  }

  /// The non-empty shard objects listed so far (none is not an error here).
  private func shardObjects(_ url: S3URL) throws(S3Error) -> [S3ObjectInfo] {
    do {
      return try client.exportObjects(url).filter { $0.size > 0 }
    } catch {
      if error.kind == .noSuchKey { return [] }
      throw error
    }
  }

  /// 0.5-1 × min(0.5 s × 1.5^attempt, 30 s): quick at first, then every half minute, jittered
  /// so that several waiting clients do not poll in step.
  func delay(afterAttempt attempt: Int) -> Double {
    Double.random(in: 0.5...1) * min(0.5 * pow(1.5, Double(attempt)), 30)
  }
}
