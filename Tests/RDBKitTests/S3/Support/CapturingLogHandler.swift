import Logging
import Synchronization

/// A log handler that keeps every line (message and metadata) in memory, for assertions.
struct CapturingLogHandler: LogHandler {
  final class Store: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
  }

  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    let text = "\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key })"
    store.lines.withLock { $0.append(text) }
  }

  /// A logger writing into a fresh store.
  static func logger() -> (Logger, Store) {
    let store = Store()
    return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
  }
}
