import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// S3ObjectInput edge cases against moto: a replaced object, virtual-hosted addressing.
@Suite struct ObjectInputMotoTests {
  @Test func replacedObjectFailsWithObjectChanged() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let client = server.client(try setup.user("reader"))
      let key = "my-export-0001.rdb"
      let input = try client.objectInput(
        bucket: setup.bucket, key: key,
        options: S3ObjectInput.Options(partSize: 65_536, maxInFlight: 1))
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 1)
      defer { buffer.deallocate() }
      #expect(try input.read(into: buffer) == 65_536)
      // Part 1 is not fetched until part 0 is released by the next read.
      let admin = try setup.user("admin")
      _ = try PythonTool.run([
        PythonTool.script("s3_helper.py"), "put", "--endpoint", server.endpoint,
        "--bucket", setup.bucket, "--key", key,
        "--file", ExportFixtures.shards[1].file.path,
        "--access-key", admin.accessKeyID, "--secret-key", admin.secretAccessKey,
      ])
      let error = #expect(throws: RDBError.self) { _ = try input.read(into: buffer) }
      #expect(error?.offset == 65_536)
      #expect(input.failure?.kind == .objectChanged)
      #expect(input.failure?.httpStatus == 412)
      #expect(input.failure?.description.hasPrefix("s3://rdb-exports/\(key) was replaced") == true)
    }
  }

  @Test func virtualHostedAddressing() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let client = S3Client(
        endpoint: S3Endpoint(
          region: "us-east-1", endpointURL: "http://localhost:\(server.port)",
          addressingStyle: .virtual),
        credentials: StaticCredentials(try setup.user("reader")))
      var input = try client.objectInput(bucket: setup.bucket, key: "my-export-0003.rdb")
      let expected = try [UInt8](Data(contentsOf: ExportFixtures.shards[2].file))
      #expect(try ExportFixtures.readAll(&input) == expected)
    }
  }

  @Test func emptyObjectEndsAtOnce() throws {
    let home = try TemporaryDirectory()
    let empty = try home.write("empty.rdb", "")
    try MotoServer.with(setupArguments: ["--put", "empty-0001.rdb=\(empty)", "--enable-auth"]) {
      server, setup in
      var input = try server.client(try setup.user("reader"))
        .objectInput(bucket: setup.bucket, key: "empty-0001.rdb")
      #expect(input.object.size == 0)
      #expect(try ExportFixtures.readAll(&input).isEmpty)
    }
  }
}
