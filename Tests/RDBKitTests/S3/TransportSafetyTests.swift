import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// TLS verification, and that logs never carry secrets.
@Suite struct TransportSafetyTests {
  @Test func selfSignedCertificateIsRefused() throws {
    let directory = try TemporaryDirectory()
    let port = try PythonTool.freePort()
    var environment = ProcessInfo.processInfo.environment
    environment["TMPDIR"] = directory.url.path
    let moto = try BackgroundProcess(
      arguments: [PythonTool.script("s3_helper.py"), "serve-moto", String(port), "--tls"],
      environment: environment, logURL: directory.url.appendingPathComponent("moto.log"))
    defer { moto.stop() }
    let client = S3Client(
      endpoint: S3Endpoint(region: "us-east-1", endpointURL: "https://127.0.0.1:\(port)"),
      credentials: StaticCredentials(AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "s")),
      retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01))
    var last: S3Error?
    // Wait until the server answers TLS at all (connection refused while it starts).
    _ = moto.waitUntil(seconds: 30) {
      do throws(S3Error) {
        _ = try client.headObject(bucket: "rdb-exports", key: "k")
      } catch {
        last = error
      }
      return last?.curlCode == 60
    }
    #expect(last?.curlCode == 60, "the server never answered TLS: \(String(describing: last))")
    // The server is up now: a fresh request fails verification at once, without retries.
    let error = #expect(throws: S3Error.self) {
      _ = try client.headObject(bucket: "rdb-exports", key: "k")
    }
    #expect(error?.kind == .transport)
    #expect(error?.curlCode == 60, "expected a certificate verification failure")
    #expect(error?.attempts == 1, "certificate failures must not be retried")
  }

  @Test func awsVirtualHostNamesOverVerifiedTLS() throws {
    let certificates = try TemporaryDirectory()
    _ = try PythonTool.run([
      PythonTool.script("s3_helper.py"), "make-certificates", certificates.url.path,
      "*.s3.us-east-1.amazonaws.com", "127.0.0.1",
    ])
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--enable-auth"],
      certificates: certificates.url
    ) { server, setup in
      var transport = TransportOptions()
      // Keep the production host name; only the connection goes to loopback.
      transport.connectTo = ["rdb-exports.s3.us-east-1.amazonaws.com:443:127.0.0.1:\(server.port)"]
      func client(trusting caBundle: String?) throws -> S3Client {
        transport.caBundlePath = caBundle
        return S3Client(
          endpoint: S3Endpoint(region: "us-east-1"),
          credentials: StaticCredentials(try setup.user("reader")), transport: transport)
      }
      let trusted = try client(trusting: server.caBundle)
      #expect(trusted.endpoint.usesVirtualHost(for: setup.bucket))
      var input = try trusted.objectInput(bucket: setup.bucket, key: "my-export-0002.rdb")
      let expected = try [UInt8](Data(contentsOf: ExportFixtures.shards[1].file))
      #expect(try ExportFixtures.readAll(&input) == expected)

      let untrusted = #expect(throws: S3Error.self) {
        _ = try client(trusting: nil).headObject(bucket: setup.bucket, key: "my-export-0002.rdb")
      }
      #expect(untrusted?.kind == .transport)
      #expect(untrusted?.curlCode == 60)
    }
  }

  @Test func logsNeverContainSecrets() throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--temp-credentials", "--enable-auth"]
    ) { server, setup in
      let session = try #require(setup.session)
      let token = try #require(session.session_token)
      let proxy = try PortAnnouncingServer(
        script: "fault_proxy.py",
        arguments: ["--upstream", server.endpoint, "--fault", "1:cut=1000", "--fault", "2:503"],
        directory: server.directory)
      defer { proxy.stop() }
      let (logger, store) = CapturingLogHandler.logger()
      var environment = try TemporaryDirectory().awsEnvironment
      environment["AWS_ACCESS_KEY_ID"] = session.access_key_id
      environment["AWS_SECRET_ACCESS_KEY"] = session.secret_access_key
      environment["AWS_SESSION_TOKEN"] = token
      let client = try S3Client.configured(
        endpointURL: proxy.endpoint, environment: environment,
        retryPolicy: RetryPolicy(maxAttempts: 5, baseDelay: 0.01, throttlingBaseDelay: 0.01),
        logger: logger)
      var input = try client.objectInput(
        try S3URL(parsing: "s3://\(setup.bucket)/my-export-0001.rdb"),
        options: S3ObjectInput.Options(partSize: 100_000, maxInFlight: 2))
      #expect(try ExportFixtures.readAll(&input).count == Int(input.object.size))
      let lines = store.all
      #expect(lines.contains { $0.contains("retrying S3 request") })
      #expect(lines.contains { $0.contains("loaded AWS credentials") })
      #expect(lines.contains { $0.contains("downloading S3 object") })
      for line in lines {
        #expect(!line.contains(session.secret_access_key), "a log line shows the secret")
        #expect(!line.contains(token), "a log line shows the session token")
        for word in ["Signature=", "Authorization", "X-Amz-Security-Token"] {
          #expect(!line.contains(word), "a log line shows \(word)")
        }
      }
    }
  }
}
