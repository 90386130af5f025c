import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// The client against a real moto S3 server with signature and IAM checks on.
@Suite struct S3ClientMotoTests {
  @Test func downloadsAThreeShardExportByteForByte() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let client = server.client(try setup.user("reader"))
      let listed = try client.listObjects(bucket: setup.bucket, prefix: "my-export-")
      #expect(listed.map(\.key) == ExportFixtures.shards.map(\.key))
      for shard in ExportFixtures.shards {
        let expected = try [UInt8](Data(contentsOf: shard.file))
        for options in [
          S3ObjectInput.Options(), S3ObjectInput.Options(partSize: 65_536, maxInFlight: 3),
        ] {
          var input = try client.objectInput(bucket: setup.bucket, key: shard.key, options: options)
          #expect(input.object.size == Int64(expected.count))
          let bytes = try ExportFixtures.readAll(&input, chunk: 10_000)
          #expect(bytes == expected, "\(shard.key) differs with \(options)")
          #expect(input.failure == nil)
        }
      }
    }
  }

  @Test func listsAcrossPages() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let client = server.client(try setup.user("reader"))
      let first = try client.listObjectsPage(bucket: setup.bucket, prefix: "my-export-")
      #expect(first.objects.count == 2, "MOTO_S3_DEFAULT_MAX_KEYS=2 should give two keys")
      let token = try #require(first.nextContinuationToken)
      let second = try client.listObjectsPage(
        bucket: setup.bucket, prefix: "my-export-", continuationToken: token)
      #expect(second.objects.map(\.key) == ["my-export-0003.rdb"])
      #expect(second.nextContinuationToken == nil)
      #expect(try client.listObjects(bucket: setup.bucket).count == 3)
    }
  }

  @Test func errorsNameTheCauseAndNeverTheSecret() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let reader = try setup.user("reader")
      var wrong = reader
      wrong.secretAccessKey = "WRONG" + reader.secretAccessKey.dropFirst(5)
      let key = "my-export-0001.rdb"

      let mismatch = #expect(throws: S3Error.self) {
        _ = try server.client(wrong).headObject(bucket: setup.bucket, key: key)
      }
      #expect(mismatch?.kind == .accessDenied || mismatch?.kind == .signatureMismatch)
      let getMismatch = #expect(throws: S3Error.self) {
        _ = try server.client(wrong).getObject(bucket: setup.bucket, key: key)
      }
      #expect(getMismatch?.kind == .signatureMismatch)
      #expect(getMismatch?.awsCode == "SignatureDoesNotMatch")
      #expect(getMismatch?.requestID?.isEmpty == false)

      let denied = #expect(throws: S3Error.self) {
        _ = try server.client(try setup.user("no-get")).getObject(bucket: setup.bucket, key: key)
      }
      #expect(denied?.kind == .accessDenied)
      #expect(
        denied?.description.hasPrefix(
          "no read permission on s3://rdb-exports/\(key): the caller needs s3:GetObject on "
            + "arn:aws:s3:::rdb-exports/*") == true)

      let missingKey = #expect(throws: S3Error.self) {
        _ = try server.client(reader).getObject(bucket: setup.bucket, key: "nope-0001.rdb")
      }
      #expect(missingKey?.kind == .noSuchKey)
      let missingHead = #expect(throws: S3Error.self) {
        _ = try server.client(reader).objectInput(bucket: setup.bucket, key: "nope-0001.rdb")
      }
      #expect(missingHead?.kind == .noSuchKey)

      let missingBucket = #expect(throws: S3Error.self) {
        _ = try server.client(try setup.user("admin")).listObjects(bucket: "no-such-bucket-here")
      }
      #expect(missingBucket?.kind == .noSuchBucket)

      for error in [mismatch, getMismatch, denied, missingKey, missingHead, missingBucket] {
        let text = String(describing: error) + String(reflecting: error)
        for secret in [reader.secretAccessKey, wrong.secretAccessKey] {
          #expect(!text.contains(secret), "an error shows a secret key")
        }
        #expect(!text.contains("Signature="), "an error shows a signature")
      }
    }
  }

  @Test func sessionCredentialsNeedTheirToken() throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--temp-credentials", "--enable-auth"]
    ) { server, setup in
      let session = try #require(setup.session).credentials
      let key = "my-export-0002.rdb"
      let info = try server.client(session).headObject(bucket: setup.bucket, key: key)
      #expect(info.size == setup.objects[key]?.size)
      var badToken = session
      badToken.sessionToken = "not-the-token"
      let invalid = #expect(throws: S3Error.self) {
        _ = try server.client(badToken).getObject(bucket: setup.bucket, key: key)
      }
      #expect(invalid?.kind == .invalidToken)
      #expect(invalid?.description.contains("not-the-token") == false)
      #expect(invalid?.description.contains(session.secretAccessKey) == false)
    }
  }
}
