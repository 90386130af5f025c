import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `-o s3://…` against a real moto server (auth on), checked through boto3: every command's
/// object is byte for byte what `-o FILE` writes, a `split` prefix gets every shard, and a
/// run that fails or is interrupted after parts were uploaded leaves neither an object nor a
/// pending multipart upload.
@Suite struct UploadCommandTests {
  static let fixture = RDBToolProcess.fixture("redis-7.4.1/default.rdb")
  /// Parts of 64 KiB, so the fixture's outputs take several.
  static let small = ["--part-size", "64KiB", "--max-in-flight", "2"]

  /// Runs rdbtool with the admin user's keys against `server`; at most 120 s.
  func rdbtool(_ server: S3MotoServer, _ arguments: [String]) throws -> RDBToolProcess.Result {
    try RDBToolProcess.runProgram(
      RDBToolProcess.binary, arguments, environment: try server.environment(user: "admin"),
      deadline: 120)
  }

  @Test func everyCommandUploadsWhatItWritesToAFile() throws {
    let work = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    try S3MotoServer.with(["--enable-auth"]) { server in
      let bucket = "s3://\(server.setup.bucket)"
      let commands: [(name: String, arguments: [String])] = [
        ("rewrite.rdb", ["rewrite", Self.fixture]),
        ("dump.jsonl", ["dump", "--format", "jsonl", Self.fixture]),
        ("memory.csv", ["memory", Self.fixture]),
        ("keys.txt", ["keys", Self.fixture]),
        ("merge.rdb", ["merge", Self.fixture]),
      ]
      var downloads: [String] = []
      for command in commands {
        let local = work.appendingPathComponent(command.name).path
        let written = try rdbtool(server, command.arguments + ["-q", "-o", local])
        #expect(written.status == 0, "\(command.arguments): \(written.stderr)")
        let uploaded = try rdbtool(
          server, command.arguments + Self.small + ["-q", "-o", "\(bucket)/out/\(command.name)"])
        #expect(uploaded.status == 0, "\(command.arguments): \(uploaded.stderr)")
        downloads.append("out/\(command.name)=\(local).downloaded")
      }
      let state = try server.bucketState(downloading: downloads)
      #expect(state.uploads.isEmpty, "\(state.uploads)")
      for command in commands {
        let local = work.appendingPathComponent(command.name).path
        let expected = try Data(contentsOf: URL(fileURLWithPath: local))
        let object = try Data(contentsOf: URL(fileURLWithPath: local + ".downloaded"))
        #expect(object == expected, "\(command.name): \(object.count) vs \(expected.count) bytes")
        #expect(state.objects["out/\(command.name)"] == expected.count)
      }
      // The larger outputs really went as several parts.
      let log = try String(
        contentsOf: server.directory.appendingPathComponent("moto.log"), encoding: .utf8)
      for name in ["rewrite.rdb", "dump.jsonl"] {
        #expect(log.contains("/out/\(name)?partNumber=3&"), "\(name) was not a multipart upload")
      }
    }
  }

  @Test func splitWritesEveryShardUnderAPrefix() throws {
    let work = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    try S3MotoServer.with(["--enable-auth"]) { server in
      let arguments = ["split", "--shards", "3", "--db", "0", "-q", Self.fixture]
      let local = try rdbtool(server, arguments + ["-o", work.path])
      #expect(local.status == 0, "\(local.stderr)")
      let uploaded = try rdbtool(
        server, arguments + Self.small + ["-o", "s3://\(server.setup.bucket)/shards/"])
      #expect(uploaded.status == 0, "\(uploaded.stderr)")
      let names = (1...3).map { "default-000\($0).rdb" }
      let state = try server.bucketState(
        downloading: names.map { "shards/\($0)=\(work.path)/\($0).downloaded" })
      #expect(state.objects.keys.sorted() == names.map { "shards/\($0)" })
      #expect(state.uploads.isEmpty, "\(state.uploads)")
      for name in names {
        let expected = try Data(contentsOf: work.appendingPathComponent(name))
        let object = try Data(contentsOf: work.appendingPathComponent(name + ".downloaded"))
        #expect(object == expected, "\(name)")
      }
    }
  }

  @Test func aRunThatFailsAfterSomePartsLeavesNothing() throws {
    let work = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    // The first 400,000 bytes of the fixture: most keys, then a truncated one.
    let truncated = work.appendingPathComponent("truncated.rdb")
    try Data(contentsOf: URL(fileURLWithPath: Self.fixture)).prefix(400_000).write(to: truncated)
    try S3MotoServer.with(["--enable-auth"]) { server in
      let bucket = "s3://\(server.setup.bucket)"
      let dump = try rdbtool(
        server, ["dump", "-q", truncated.path] + Self.small + ["-o", "\(bucket)/failed.jsonl"])
      #expect(dump.status == 1)
      #expect(dump.stderr.contains("truncated.rdb"), "\(dump.stderr)")
      // Keys of database 1 collide in database 0 after most of the file was written.
      let split = try rdbtool(
        server,
        ["split", "--shards", "2", "--single-db", "-q", Self.fixture] + Self.small
          + ["-o", "\(bucket)/failed/"])
      #expect(split.status == 1)
      #expect(split.stderr.contains("already in output database 0"), "\(split.stderr)")
      let log = try String(
        contentsOf: server.directory.appendingPathComponent("moto.log"), encoding: .utf8)
      #expect(
        log.contains("/failed.jsonl?partNumber=2&"), "no part was uploaded before the failure")
      let shardParts = ["0001", "0002"].filter {
        log.contains("/failed/default-\($0).rdb?partNumber=2&")
      }
      #expect(!shardParts.isEmpty, "no shard part was uploaded before the failure")
      let state = try server.bucketState()
      #expect(state.objects.isEmpty, "\(state.objects)")
      #expect(state.uploads.isEmpty, "\(state.uploads)")
    }
  }

  @Test func aCallerWithoutWritePermissionGetsTheFixAndLeavesNothing() throws {
    try S3MotoServer.with(["--enable-auth"]) { server in
      // The reader may read and list, not write: the first part's CreateMultipartUpload fails.
      let result = try RDBToolProcess.runProgram(
        RDBToolProcess.binary,
        ["dump", "-q", Self.fixture] + Self.small
          + ["-o", "s3://\(server.setup.bucket)/denied.jsonl"],
        environment: try server.environment(user: "reader"), deadline: 120)
      #expect(result.status == 1)
      #expect(
        result.stderr.contains(
          "no write permission on s3://\(server.setup.bucket)/denied.jsonl: the caller needs "
            + "s3:PutObject on arn:aws:s3:::\(server.setup.bucket)/*"), "\(result.stderr)")
      let state = try server.bucketState()
      #expect(state.objects.isEmpty, "\(state.objects)")
      #expect(state.uploads.isEmpty, "\(state.uploads)")
    }
  }

  @Test(arguments: [SIGINT, SIGTERM])
  func anInterruptedUploadLeavesNothing(_ signal: Int32) throws {
    let work = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    // 20,000 small keys written by redis-server: each part of output needs little input.
    let file = try ProgressTests.populatedFile(in: work, keys: 20_000)
    try S3MotoServer.with(["--enable-auth"]) { server in
      let key = "interrupted.jsonl"
      let process = Process()
      process.executableURL = RDBToolProcess.binary
      process.arguments =
        ["dump", "-q", "-"] + Self.small + ["-o", "s3://\(server.setup.bucket)/\(key)"]
      process.environment = try server.environment(user: "admin")
      let input = Pipe()
      let errors = work.appendingPathComponent("stderr")
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      process.standardInput = input
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errors)
      try process.run()
      defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
      // A quarter of the file, then nothing more: rdbtool waits for the rest with parts
      // uploaded.
      let bytes = try Data(contentsOf: file)
      try input.fileHandleForWriting.write(contentsOf: bytes.prefix(bytes.count / 4))
      let started = Date()
      var pending: [String] = []
      while pending.isEmpty, process.isRunning, Date().timeIntervalSince(started) < 60 {
        Thread.sleep(forTimeInterval: 0.2)
        pending = try server.bucketState().uploads
      }
      #expect(pending == [key], "no upload under way before the signal")
      kill(process.processIdentifier, signal)
      let exited = RDBToolProcess.waitForExit(process, seconds: 30)
      try? input.fileHandleForWriting.close()
      #expect(exited, "rdbtool did not exit within 30 s of the signal")
      let message = try String(contentsOf: errors, encoding: .utf8)
      #expect(process.terminationStatus == 128 + signal, "\(message)")
      #expect(message.contains("; 1 upload(s) aborted"), "\(message)")
      let state = try server.bucketState()
      #expect(state.objects.isEmpty, "\(state.objects)")
      #expect(state.uploads.isEmpty, "\(state.uploads)")
    }
  }
}

/// What a bucket holds, as boto3 lists it (`s3_helper.py state`).
struct BucketState: Decodable {
  /// Object keys and sizes.
  let objects: [String: Int]
  /// The keys of pending multipart uploads.
  let uploads: [String]
}

extension S3MotoServer {
  /// The bucket's objects and pending uploads, after downloading each `KEY=PATH` given, with
  /// the admin user's keys through boto3 (not through rdbtool's own client).
  func bucketState(downloading: [String] = []) throws -> BucketState {
    let python = try #require(Self.executable("python3"))
    let keys = try #require(setup.users["admin"])
    let output = try Self.run(
      python,
      [
        Self.helper, "state", "--endpoint", endpoint, "--bucket", setup.bucket, "--access-key",
        keys.access_key_id, "--secret-key", keys.secret_access_key,
      ] + downloading.flatMap { ["--get", $0] })
    return try JSONDecoder().decode(BucketState.self, from: output)
  }
}
