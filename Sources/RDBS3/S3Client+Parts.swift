import RDBKit

extension S3Client {
  /// Fetches the inclusive byte range `range` of an object whose ETag must still be `eTag`,
  /// resuming from the first missing byte after a retryable failure.
  ///
  /// Runs on the calling thread with its `easy` handle. `isCancelled` is polled as bytes arrive.
  /// - Throws: ``S3Error``: the last failure once ``retryPolicy`` is exhausted, or at once for
  ///   failures retrying cannot fix (`.objectChanged`, `.accessDenied`, …).
  func fetchPart(
    bucket: String, key: String, eTag: String, range: ClosedRange<Int64>, using easy: CurlEasy,
    reusing spare: [UInt8] = [], isCancelled: () -> Bool
  ) throws(S3Error) -> [UInt8] {
    let expected = Int(range.upperBound - range.lowerBound + 1)
    var buffer = spare
    buffer.removeAll(keepingCapacity: true)
    buffer.reserveCapacity(expected)
    var attempt = 1
    while true {
      let from = range.lowerBound + Int64(buffer.count)
      let request = S3Request(
        operation: "GetObject", bucket: bucket, key: key,
        headers: [
          HTTPHeader("Range", "bytes=\(from)-\(range.upperBound)"), HTTPHeader("If-Match", eTag),
        ])
      do throws(S3Error) {
        let response = try send(
          request, using: easy, into: &buffer, limit: expected, isCancelled: isCancelled)
        guard response.status == 206 || (response.status == 200 && from == 0) else {
          throw S3Error(
            .invalidResponse, operation: "GetObject", bucket: bucket, key: key,
            httpStatus: response.status, message: "ranged GET answered \(response.status)")
        }
        if buffer.count == expected { return buffer }
        // The body ended cleanly but short: treat it like a cut connection and resume.
        throw S3Error(
          .transport, operation: "GetObject", bucket: bucket, key: key,
          message: "body ended after \(buffer.count) of \(expected) bytes", curlCode: 18)
      } catch {
        guard error.isRetryable, attempt < retryPolicy.maxAttempts, !isCancelled() else {
          var final = error
          final.attempts = attempt
          throw final
        }
        logRetry(request, attempt: attempt, error: error, offset: from + Int64(buffer.count))
        retryPolicy.pause(afterAttempt: attempt, for: error)
        attempt += 1
      }
    }
  }
}
