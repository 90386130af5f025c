import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// ``S3Upload`` against a real moto server (auth on), directly and through the fault proxy:
/// what completes is the bytes written; what fails or is aborted leaves neither an object nor a
/// pending multipart upload (ListMultipartUploads).
@Suite struct S3UploadMotoTests {
  static let options = S3Upload.Options(partSize: 65_536, maxInFlight: 3)

  /// 300,001 pseudo-random bytes: four full 64 KiB parts and a short fifth.
  static let payload: [UInt8] = {
    var generator = SystemRandomNumberGenerator()
    return (0..<300_001).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }()

  /// Writes `bytes` in uneven pieces, so parts straddle write boundaries.
  func write(_ bytes: [UInt8], to upload: S3Upload) throws {
    var start = 0
    var size = 1
    while start < bytes.count {
      let end = min(bytes.count, start + size)
      try bytes[start..<end].withUnsafeBytes { try upload.write($0) }
      start = end
      size = size * 3 + 7
    }
  }

  /// Runs `body` with moto and a proxy in front of it started with `proxyArguments`.
  func withProxy(
    _ proxyArguments: [String],
    _ body: (MotoServer, MotoSetup, PortAnnouncingServer) throws -> Void
  ) throws {
    try MotoServer.with { server, setup in
      let proxy = try PortAnnouncingServer(
        script: "fault_proxy.py", arguments: ["--upstream", server.endpoint] + proxyArguments,
        directory: server.directory)
      defer { proxy.stop() }
      try body(server, setup, proxy)
    }
  }

  /// The UploadPart requests the proxy saw.
  func partRequests(_ proxy: PortAnnouncingServer) -> [[String: Any]] {
    proxy.requests.filter { ($0["path"] as? String)?.contains("partNumber=") == true }
  }

  @Test func uploadsRoundTripWithAChecksumOnEveryPartAndAbortsLeaveNothing() throws {
    try withProxy([]) { server, setup, proxy in
      let client = server.client(try setup.user("admin"), endpoint: proxy.endpoint)
      let upload = S3Upload(
        client: client, bucket: setup.bucket, key: "out/a.bin", options: Self.options)
      try write(Self.payload, to: upload)
      #expect(try client.listMultipartUploads(bucket: setup.bucket).map(\.key) == ["out/a.bin"])
      try upload.complete()
      #expect(try client.getObject(bucket: setup.bucket, key: "out/a.bin") == Self.payload)
      let info = try client.headObject(bucket: setup.bucket, key: "out/a.bin")
      #expect(info.eTag.hasSuffix("-5\""), "five parts: \(info.eTag)")
      #expect(try client.listMultipartUploads(bucket: setup.bucket).isEmpty)
      let parts = partRequests(proxy)
      #expect(parts.count == 5)
      #expect(parts.allSatisfy { $0["md5_ok"] as? Bool == true }, "\(parts)")
      // A part that ends hands its connection to the next (the proxy keeps connections
      // alive; moto alone closes each): five parts, three in flight, three connections at most.
      let connections = Set(parts.compactMap { $0["client_port"] as? Int })
      #expect(
        !connections.isEmpty && connections.count <= Self.options.maxInFlight,
        "\(connections.count) connections for \(parts.count) parts")
      #expect(upload.byteCount == Self.payload.count)

      // Less than a part: one PutObject, no multipart upload.
      let small = S3Upload(
        client: client, bucket: setup.bucket, key: "small", options: Self.options)
      let bytes = Array(Self.payload.prefix(1000))
      try write(bytes, to: small)
      try small.complete()
      #expect(try client.getObject(bucket: setup.bucket, key: "small") == bytes)
      let puts = proxy.requests.filter { ($0["path"] as? String)?.contains("/small") == true }
      #expect(puts.map { $0["method"] as? String } == ["PUT", "GET"], "\(puts)")
      #expect(puts.first?["md5_ok"] as? Bool == true)

      // Aborted after three parts: nothing left.
      let aborted = S3Upload(
        client: client, bucket: setup.bucket, key: "aborted", options: Self.options)
      try write(Self.payload, to: aborted)
      #expect(try client.listMultipartUploads(bucket: setup.bucket).map(\.key) == ["aborted"])
      #expect(aborted.abort() == nil)
      #expect(try client.listMultipartUploads(bucket: setup.bucket).isEmpty)
      #expect(try client.listObjects(bucket: setup.bucket, prefix: "aborted").isEmpty)
      #expect(throws: S3Error.self) { try aborted.complete() }
    }
  }

  @Test func cutAndFailedPartsAreRetried() throws {
    let faults = ["2:cut", "3:503", "4:500"]
    try withProxy(faults.flatMap { ["--part-fault", $0] }) { server, setup, proxy in
      let client = server.client(
        try setup.user("admin"), endpoint: proxy.endpoint, maxAttempts: faults.count + 1)
      let upload = S3Upload(
        client: client, bucket: setup.bucket, key: "retried", options: Self.options)
      try write(Self.payload, to: upload)
      try upload.complete()
      #expect(try client.getObject(bucket: setup.bucket, key: "retried") == Self.payload)
      let parts = partRequests(proxy)
      #expect(parts.count == 5 + faults.count)
      #expect(parts.filter { $0["action"] as? String == "cut" }.count == 1)
      #expect(try client.listMultipartUploads(bucket: setup.bucket).isEmpty)
    }
  }

  @Test func aPartThatKeepsFailingLeavesNoObjectAndNoPendingUpload() throws {
    // Two parts get through, then every part request fails: a failure midway.
    let faults = (3...30).flatMap { ["--part-fault", "\($0):500"] }
    try withProxy(faults) { server, setup, proxy in
      let client = server.client(try setup.user("admin"), endpoint: proxy.endpoint)
      let upload = S3Upload(
        client: client, bucket: setup.bucket, key: "failed", options: Self.options)
      // The writer may see the failure while writing (a full window) or only at the end.
      let error = #expect(throws: S3Error.self) {
        try write(Self.payload, to: upload)
        try upload.complete()
      }
      #expect(
        error?.kind == .serverError || error?.kind == .transport, "\(String(describing: error))")
      upload.abort()
      let direct = server.client(try setup.user("admin"))
      #expect(try direct.listMultipartUploads(bucket: setup.bucket).isEmpty)
      #expect(try direct.listObjects(bucket: setup.bucket, prefix: "failed").isEmpty)
      #expect(partRequests(proxy).filter { $0["action"] as? String == "forward" }.count == 2)
      #expect(proxy.requests.contains { $0["method"] as? String == "DELETE" })
    }
  }
}
