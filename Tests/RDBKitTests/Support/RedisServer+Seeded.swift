import Foundation
import RDBKit
import Testing

extension RedisServer {
  /// A fresh server of the catalog's `name`, or nil (the reason printed) when this machine
  /// cannot run one.
  static func started(_ name: String) throws -> RedisServer? {
    guard let binary = ServerCatalog.server(name) else {
      print("skipped \(name): \(ServerCatalog.missingReason(name) ?? "not available")")
      return nil
    }
    return try RedisServer(binary: binary)
  }

  /// A fresh server of `name` filled with the seeded round-trip dataset
  /// (``RedisRoundTripTests/dataset(_:)`` plus what that server adds,
  /// ``EveryServerRoundTripTests/extras(for:_:)``, from ``EveryServerRoundTripTests/seed``)
  /// and saved to its dump file; nil when this machine cannot run one. A command the server
  /// refuses fails the test.
  static func seeded(_ name: String) throws -> RedisServer? {
    guard let server = try started(name) else { return nil }
    do {
      let client = try server.client()
      var random = SplitMix64(seed: EveryServerRoundTripTests.seed)
      print("\(name): round trip seed \(EveryServerRoundTripTests.seed)")
      let commands =
        RedisRoundTripTests.dataset(&random)
        + EveryServerRoundTripTests.extras(for: server.binary, &random)
      let replies = try client.pipeline(commands)
      let errors = zip(commands, replies).compactMap { command, reply -> String? in
        guard case .error(let message) = reply else { return nil }
        return "\(String(decoding: command[0], as: UTF8.self)): \(message)"
      }
      try #require(errors.isEmpty, "\(name) setup errors: \(errors.prefix(5))")
      #expect(try client.call("SAVE") == .simple("OK"))
      return server
    } catch {
      server.stop()
      throw error
    }
  }
}
