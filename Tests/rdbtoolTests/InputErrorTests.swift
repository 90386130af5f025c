import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// CORRUPT is kept for bad data; an input that cannot be read or is in a format newer than
/// rdbtool knows is its own one-line ERROR that says what to do.
@Suite struct InputErrorTests {
  @Test func aDirectoryIsAnError() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RDBToolProcess.run(["verify", directory.path])
    #expect(result.status == 1)
    #expect(
      result.stdout == "\(directory.path): ERROR: is a directory: give the RDB files in it "
        + "(DIR/*.rdb)\n")
    let keys = try RDBToolProcess.run(["keys", directory.path])
    #expect(keys.status == 1 && keys.stdout.isEmpty)
    #expect(
      keys.stderr == "rdbtool: \(directory.path): is a directory: give the RDB files in it "
        + "(DIR/*.rdb)\n")
  }

  @Test func aMissingFileIsAnError() throws {
    let result = try RDBToolProcess.run(["verify", "/nonexistent/dump.rdb"])
    #expect(result.status == 1)
    #expect(result.stdout == "/nonexistent/dump.rdb: ERROR: cannot open: no such file\n")
  }

  /// A file its reader may not open. As root (the test machines) the command runs as
  /// `nobody` through `setpriv`, since root may open anything.
  @Test func anUnreadableFileIsAnError() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("locked.rdb")
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")), to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: directory.path)
    let result =
      getuid() == 0
      ? try RDBToolProcess.runProgram(
        URL(fileURLWithPath: "/usr/bin/setpriv"),
        [
          "--reuid=nobody", "--regid=nogroup", "--clear-groups", RDBToolProcess.binary.path,
          "verify", file.path,
        ])
      : try RDBToolProcess.run(["verify", file.path])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      result.stdout
        == "\(file.path): ERROR: cannot open: permission denied; run as a user who may read it\n")
  }

  /// An RDB 14 header (Redis 8.8 and later) is newer than rdbtool: ERROR, not CORRUPT, from a
  /// file and from a pipe.
  @Test func aNewerFormatIsAnError() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var image = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-8.6.3/default.rdb")))
    image.replaceSubrange(5..<9, with: Data("0014".utf8))
    let file = directory.appendingPathComponent("new.rdb")
    try image.write(to: file)
    let expected =
      "ERROR: RDB 14, written by Redis 8.8 or newer, is newer than this rdbtool understands "
      + "(newest: 13, Valkey 80); a newer rdbtool may read it\n"
    let result = try RDBToolProcess.run(["verify", file.path])
    #expect(result.status == 1)
    #expect(result.stdout == "\(file.path): " + expected)
    let piped = try RDBToolProcess.run(["verify", "-"], stdin: image)
    #expect(piped.stdout == "-: " + expected)
  }

  /// Bad data stays CORRUPT with its offset.
  @Test func badDataIsCorrupt() throws {
    var image = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    image[image.count - 3] ^= 0xFF
    let result = try RDBToolProcess.run(["verify", "-"], stdin: image)
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("-: CORRUPT: checksum mismatch"), "\(result.stdout)")
  }
}
