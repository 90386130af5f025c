import Foundation
import RDBKit

/// A Redis or Valkey server the tests can start: its launcher, the version it reports and the
/// RDB headers it writes and loads.
struct ServerBinary: Sendable, CustomStringConvertible {
  /// The server family.
  enum Engine: String, Sendable {
    case redis
    case valkey
  }

  /// The catalog name, engine and major.minor version: `redis-7.0`, `valkey-9.1`.
  let name: String
  /// The server family.
  let engine: Engine
  /// The version the binary reports, `7.0.15`.
  let version: String
  /// The header `SAVE` writes.
  let writes: RDBVersion
  /// The newest header it loads with its default configuration.
  let newestLoaded: RDBVersion
  /// An executable that runs the server with the arguments it is given.
  let launcher: URL

  /// The `INFO server` field that holds ``version`` (Valkey's `redis_version` says 7.2.4).
  var versionField: String { engine == .valkey ? "valkey_version" : "redis_version" }

  /// Whether the server loads a file with this header at startup, by its default
  /// configuration: Redis loads `REDIS` files up to its own version; Valkey loads `REDIS`
  /// files up to 11 (Valkey 9 refuses versions 12 to 79 as another fork's), and Valkey 9
  /// loads `VALKEY` files up to its own version.
  func loads(_ header: RDBVersion) -> Bool {
    switch (engine, header.magic) {
    case (.redis, .redis): return header.number <= newestLoaded.number
    case (.redis, .valkey): return false
    case (.valkey, .redis): return header.number <= 11
    case (.valkey, .valkey):
      return newestLoaded.magic == .valkey && header.number <= newestLoaded.number
    }
  }

  var description: String { "\(name) (\(version))" }
}
