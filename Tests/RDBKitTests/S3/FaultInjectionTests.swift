import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// Retry, resume and redirect through a fault-injecting proxy between the client and moto.
@Suite struct FaultInjectionTests {
  static let key = "my-export-0001.rdb"
  static let options = S3ObjectInput.Options(partSize: 65_536, maxInFlight: 3)

  /// Runs `body` with moto (export uploaded, auth on) behind a proxy started with `arguments`.
  func withProxy(
    _ arguments: [String], _ body: (MotoServer, MotoSetup, PortAnnouncingServer) throws -> Void
  ) throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let proxy = try PortAnnouncingServer(
        script: "fault_proxy.py", arguments: ["--upstream", server.endpoint] + arguments,
        directory: server.directory)
      defer { proxy.stop() }
      try body(server, setup, proxy)
    }
  }

  func expectedBytes() throws -> [UInt8] {
    try [UInt8](Data(contentsOf: ExportFixtures.shards[0].file))
  }

  @Test func cutConnectionsAndServerErrorsAreRetriedAndResumed() throws {
    // Every fault must break its request: cuts stay below the smallest part (53352 bytes).
    let faults = ["1:cut=10000", "2:503", "3:500", "4:cut=0", "6:502", "9:cut=30000", "11:504"]
    try withProxy(faults.flatMap { ["--fault", $0] }) { server, setup, proxy in
      let client = server.client(
        try setup.user("reader"), endpoint: proxy.endpoint,
        // Parts run in parallel, so one part may draw every fault: allow that many retries.
        maxAttempts: faults.count + 1)
      var input = try client.objectInput(bucket: setup.bucket, key: Self.key, options: Self.options)
      let bytes = try ExportFixtures.readAll(&input)
      #expect(bytes == (try expectedBytes()))
      let ranged = proxy.requests.compactMap { $0["range"] as? String }
      let cut = try #require(proxy.requests.first { $0["action"] as? String == "cut=10000" })
      let cutRange = try #require(cut["range"] as? String)
      let start = try #require(Int(cutRange.dropFirst(6).split(separator: "-")[0]))
      #expect(ranged.contains { $0.hasPrefix("bytes=\(start + 10000)-") }, "no resumed request")
      #expect(ranged.count == 7 + (bytes.count + 65_535) / 65_536)
    }
  }

  @Test func persistentThrottlingEndsInATypedError() throws {
    try withProxy(["--fault", "*:503"]) { server, setup, proxy in
      let client = server.client(try setup.user("reader"), endpoint: proxy.endpoint)
      var input = try client.objectInput(bucket: setup.bucket, key: Self.key, options: Self.options)
      let error = #expect(throws: RDBError.self) { _ = try ExportFixtures.readAll(&input) }
      guard case .readFailed(let text) = error?.kind else {
        Issue.record("expected readFailed, got \(String(describing: error))")
        return
      }
      #expect(error?.offset == 0)
      #expect(input.failure?.kind == .throttled)
      #expect(input.failure?.attempts == client.retryPolicy.maxAttempts)
      #expect(input.failure?.requestID?.isEmpty == false)
      #expect(text.hasPrefix("S3 kept throttling requests for s3://rdb-exports/\(Self.key)"))
    }
  }

  @Test func expiredTokenIsNotRetried() throws {
    try withProxy(["--fault", "*:expired"]) { server, setup, proxy in
      let client = server.client(try setup.user("reader"), endpoint: proxy.endpoint)
      var input = try client.objectInput(bucket: setup.bucket, key: Self.key, options: Self.options)
      _ = #expect(throws: RDBError.self) { _ = try ExportFixtures.readAll(&input) }
      #expect(input.failure?.kind == .expiredToken)
      #expect(input.failure?.attempts == 1)
    }
  }

  @Test(arguments: ["301", "400"])
  func wrongRegionAnswersAreFollowedOnce(_ style: String) throws {
    try withProxy(["--bucket-region", "rdb-exports=ap-east-1", "--redirect", style]) {
      server, setup, proxy in
      let client = server.client(try setup.user("reader"), endpoint: proxy.endpoint)
      var input = try client.objectInput(bucket: setup.bucket, key: Self.key, options: Self.options)
      #expect(try ExportFixtures.readAll(&input) == (try expectedBytes()))
      #expect(client.region(for: setup.bucket) == "ap-east-1")
      let redirects = proxy.requests.filter { $0["action"] as? String == "redirect" }
      #expect(redirects.count == 1, "only the first request should be misdirected")
    }
  }
}
