extension TargetEngine {
  /// Whether a file for this target keeps the AUX field `key` = `value` of its input.
  ///
  /// `redis-ver` and `valkey-ver` name the server that wrote the input, and readers take the
  /// file for that server's: rdbtool itself picks string encodings (Valkey 8.1 embeds strings
  /// by its own rule) and the memory model from them. So a rewrite for a named target keeps
  /// such a field only where that server could have written a file for this target:
  /// `valkey-ver` for a Valkey target of that release or later; `redis-ver` for a Redis target
  /// of that release or later, or for a Valkey target when it names 7.2 or earlier (the
  /// release Valkey reports as its `redis-ver`). Every other field is kept.
  public func keepsServerVersion(key: RawSpan, value: RawSpan) -> Bool {
    let isValkeyField = AuxField.equals(key, "valkey-ver")
    guard isValkeyField || AuxField.equals(key, "redis-ver") else { return true }
    var parts = name.split(separator: "-").map(String.init)
    if parts.first == "elasticache" { parts.removeFirst() }
    guard parts.count == 2, let release = MemoryModel.majorMinor(parts[1]) else { return true }
    guard let named = MemoryModel.majorMinor(AuxField.text(value)) else { return false }
    switch (parts[0], isValkeyField) {
    case ("valkey", true), ("redis", false): return named <= release
    case ("valkey", false): return named <= (7, 2)
    default: return false
    }
  }
}
