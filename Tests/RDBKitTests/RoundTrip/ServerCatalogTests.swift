import Foundation
import RDBKit
import Testing

/// Every server of the catalog starts, reports the version setup-servers.sh recorded, writes
/// the RDB header the catalog says, and loads at startup exactly the headers the catalog says
/// it loads. A server that could not be had is skipped with its reason printed, except the
/// three that CI always has: a missing one fails.
@Suite(.serialized) struct ServerCatalogTests {
  /// The key every dump holds: in database 3, with a TTL, so that reading it back goes
  /// through `SELECT`, `SCAN` and the expiry.
  static let database = 3
  static let expiresAt: Int64 = 4_102_444_800_000  // 2100-01-01

  @Test func requiredServersArePresentAndSkippedOnesSayWhy() {
    print("servers in \(ServerCatalog.folder.path): \(ServerCatalog.all)")
    for name in ServerCatalog.names {
      guard let reason = ServerCatalog.missingReason(name) else { continue }
      if ServerCatalog.required.contains(name) {
        Issue.record("\(name) is required: \(reason)")
      } else {
        print("server \(name) skipped: \(reason)")
      }
    }
  }

  @Test(arguments: ServerCatalog.all)
  func reportsItsVersionAndWritesItsHeader(_ binary: ServerBinary) throws {
    let server = try RedisServer(binary: binary)
    defer { server.stop() }
    let client = try server.client()
    let info = try client.call("INFO", "server").text ?? ""
    #expect(info.contains("\(binary.versionField):\(binary.version)\r\n"), "INFO server: \(info)")
    #expect(binary.version.hasPrefix(binary.name.drop { $0 != "-" }.dropFirst() + "."))
    #expect(try client.call("SAVE") == .simple("OK"))
    #expect(try Self.header(of: server.dumpURL) == binary.writes.description)
  }

  /// One dump of each header the servers write, preloaded into every server: it starts and
  /// holds the dump's key exactly when ``ServerBinary/loads(_:)`` says so, and a refusal
  /// carries the server's log.
  @Test func loadsExactlyTheHeadersItShould() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-dumps-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var dumps: [(header: RDBVersion, writer: String, file: URL)] = []
    for binary in ServerCatalog.all where !dumps.contains(where: { $0.header == binary.writes }) {
      let file = folder.appendingPathComponent("\(binary.name).rdb")
      try Self.writeDump(binary, to: file)
      dumps.append((binary.writes, binary.name, file))
    }
    for loader in ServerCatalog.all {
      for dump in dumps {
        let label = "\(loader) given \(dump.header) from \(dump.writer)"
        let server: RedisServer
        do {
          server = try RedisServer(binary: loader, preloadedRDB: dump.file)
        } catch let error as ServerStartError {
          #expect(!loader.loads(dump.header), "\(label): \(error)")
          #expect(!error.logTail.isEmpty, "\(label): no log")
          continue
        }
        defer { server.stop() }
        #expect(loader.loads(dump.header), "\(label): loaded")
        let keys = try server.contents()
        #expect(keys.count == 1, "\(label): \(keys.count) keys")
        let key = try #require(keys.first)
        #expect(key.database == Self.database, "\(label)")
        #expect(key.string == hexText(dump.writer), "\(label)")
        // Redis 6.2 has no PEXPIRETIME: its expiry is PTTL added to TIME.
        #expect(
          abs((key.expiresAt ?? 0) - Self.expiresAt) < 1000, "\(label): \(key.expiresAt ?? 0)")
      }
    }
  }

  /// Starts `binary`, sets the key (its value: the server's name) and copies what SAVE wrote.
  static func writeDump(_ binary: ServerBinary, to file: URL) throws {
    let server = try RedisServer(binary: binary)
    defer { server.stop() }
    let client = try server.client()
    try client.call("SELECT", "\(database)")
    try client.call("SET", "written-by", binary.name, "PXAT", "\(expiresAt)")
    #expect(try client.call("SAVE") == .simple("OK"))
    try FileManager.default.copyItem(at: server.dumpURL, to: file)
  }

  /// The first 9 bytes of the file, `REDIS0011` or `VALKEY080`.
  static func header(of file: URL) throws -> String {
    String(decoding: try Data(contentsOf: file).prefix(9), as: UTF8.self)
  }
}
