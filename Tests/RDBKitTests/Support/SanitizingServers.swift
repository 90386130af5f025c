import Foundation
import Testing

/// The servers that judge hand-built images: Redis 7.0 (always) and Redis 8.6 (when the setup
/// step could cache it), each loading with `sanitize-dump-payload yes`, the deep checks a
/// server applies to a payload it did not write.
enum SanitizingServers {
  /// Redis 7.0, then Redis 8.6 when it is cached.
  static func all() throws -> [ServerBinary] {
    [try ServerCatalog.require("redis-7.0")] + [ServerCatalog.server("redis-8.6")].compactMap { $0 }
  }

  /// A server of `binary` that loaded `file` with payload sanitising on.
  static func start(_ binary: ServerBinary, loading file: URL) throws -> RedisServer {
    try RedisServer(
      binary: binary, preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
  }

  /// Expects each of `servers` to refuse to start from `file`.
  static func expectRefused(
    _ file: URL, by servers: [ServerBinary], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for binary in servers {
      #expect(throws: ServerStartError.self, "\(binary) loads it", sourceLocation: sourceLocation) {
        try start(binary, loading: file).stop()
      }
    }
  }
}
