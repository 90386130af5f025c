import Foundation
import Testing

/// `rdbtool split` and `rdbtool merge` through the built binary: file names, usage errors,
/// the database-0 rule, and a merge of a split that gives the input back.
@Suite struct SplitMergeCommandTests {
  static let fixture = RDBToolProcess.fixture("redis-7.0.15/default.rdb")

  /// The dump of `files` as sorted JSON lines (database, key, type, encoding, expiry, value).
  static func dump(_ files: [String], _ options: [String] = []) throws -> [Substring] {
    let run = try RDBToolProcess.run(["dump", "--format", "jsonl"] + options + files)
    #expect(run.status == 0, "\(run.stderr)")
    return run.stdout.split(separator: "\n").sorted()
  }

  static func files(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test func splitThenMergeGivesBackTheInput() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let split = try RDBToolProcess.run([
      "split", "--shards", "4", "--db", "0", Self.fixture, "-o", directory.path,
    ])
    #expect(split.status == 0, "\(split.stderr)")
    let names = try Self.files(in: directory)
    #expect(names == (1...4).map { "default-000\($0).rdb" })
    for name in names {
      #expect(split.stderr.contains(directory.appendingPathComponent(name).path))
    }
    let merged = directory.appendingPathComponent("merged.rdb").path
    let merge = try RDBToolProcess.run(
      ["merge", "-q"] + names.map { directory.appendingPathComponent($0).path } + ["-o", merged])
    #expect(merge.status == 0, "\(merge.stderr)")
    #expect(try Self.dump([merged]) == Self.dump([Self.fixture], ["--db", "0"]))
  }

  /// `merge -o -` writes to standard output the bytes `merge -o FILE` writes, and leaves no
  /// file named `-`.
  @Test func mergeToStandardOutput() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let split = try RDBToolProcess.run([
      "split", "-q", "--shards", "3", "--db", "0", Self.fixture, "-o", directory.path,
    ])
    #expect(split.status == 0, "\(split.stderr)")
    let shards = try Self.files(in: directory).map { directory.appendingPathComponent($0).path }
    let file = directory.appendingPathComponent("merged.rdb").path
    let toFile = try RDBToolProcess.run(["merge", "-q"] + shards + ["-o", file])
    #expect(toFile.status == 0, "\(toFile.stderr)")
    let toStandardOutput = try RDBToolProcess.run(["merge", "-q"] + shards + ["-o", "-"])
    #expect(toStandardOutput.status == 0, "\(toStandardOutput.stderr)")
    #expect(toStandardOutput.stdoutBytes == (try Data(contentsOf: URL(fileURLWithPath: file))))
    #expect(!FileManager.default.fileExists(atPath: "-"))
    // A key in two inputs stops the merge with exit 1, naming it (what went out stays out).
    let duplicate = try RDBToolProcess.run(["merge", "-q", shards[0], shards[0], "-o", "-"])
    #expect(duplicate.status == 1)
    #expect(duplicate.stderr.contains("is already in output database 0"), "\(duplicate.stderr)")
  }

  @Test func shardFilesNameTheirExport() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = directory.appendingPathComponent("first")
    var run = try RDBToolProcess.run([
      "split", "-q", "--shards", "3", "--db", "0", "--name", "cache", Self.fixture, "-o",
      first.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let shards = try Self.files(in: first).map { first.appendingPathComponent($0).path }
    #expect(
      shards.map { URL(fileURLWithPath: $0).lastPathComponent } == [
        "cache-0001.rdb", "cache-0002.rdb", "cache-0003.rdb",
      ])
    // The shards of an export, resharded to 5: named after the export, not its first file.
    let second = directory.appendingPathComponent("second")
    run = try RDBToolProcess.run(["split", "-q", "--shards", "5"] + shards + ["-o", second.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try Self.files(in: second) == (1...5).map { "cache-000\($0).rdb" })
    let resharded = try Self.files(in: second).map { second.appendingPathComponent($0).path }
    #expect(try Self.dump(resharded) == Self.dump(shards))
  }

  @Test func keysOutsideDatabaseZeroStopTheSplit() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try RDBToolProcess.run(["split", "--shards", "3", Self.fixture, "-o", directory.path])
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("is in database 1 and a cluster has only database 0"), "\(run.stderr)")
    #expect(run.stderr.contains("key \"db1:"), "\(run.stderr)")
    #expect(try Self.files(in: directory).isEmpty)
  }

  @Test func singleDbPutsEveryDatabaseInTheShards() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try RDBToolProcess.run([
      "split", "-q", "--shards", "3", "--single-db", "--on-duplicate", "first", Self.fixture,
      "-o", directory.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let shards = try Self.files(in: directory).map { directory.appendingPathComponent($0).path }
    let keys = try RDBToolProcess.run(["keys"] + shards)
    let all = try RDBToolProcess.run(["keys", Self.fixture])
    #expect(Set(keys.stdout.split(separator: "\n")) == Set(all.stdout.split(separator: "\n")))
  }

  @Test func mergingAFileWithItselfNamesTheDuplicate() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("twice.rdb").path
    var run = try RDBToolProcess.run([
      "merge", "--db", "0", Self.fixture, Self.fixture, "-o", output,
    ])
    #expect(run.status == 1)
    #expect(run.stderr.contains("is already in output database 0"), "\(run.stderr)")
    #expect(try Self.files(in: directory).isEmpty)
    run = try RDBToolProcess.run([
      "merge", "-q", "--db", "0", "--on-duplicate", "first", Self.fixture, Self.fixture, "-o",
      output,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try Self.dump([output]) == Self.dump([Self.fixture], ["--db", "0"]))
  }

  @Test(arguments: [
    ["split", "-o", "out", "x.rdb"],
    ["split", "--shards", "3", "--slots", "0-16383", "-o", "out", "x.rdb"],
    ["split", "--shards", "0", "-o", "out", "x.rdb"],
    ["split", "--slots", "0-100,200-16383", "-o", "out", "x.rdb"],
    ["split", "--shards", "3", "x.rdb"],
    ["merge", "x.rdb"],
    ["merge", "-o", "out/", "x.rdb"],
  ])
  func usageErrorsExit2(_ arguments: [String]) throws {
    let run = try RDBToolProcess.run(arguments)
    #expect(run.status == 2, "\(run.stderr)")
  }
}
