import RDBKit

/// The line `stats` and `memory` print about the memory model they used: the server rules,
/// where they came from, and the allocator, with the hint that packaged servers use the
/// system jemalloc when the bundled one is assumed.
enum MemoryModelNote {
  /// `memory model: Redis 7.4 (from the file), bundled jemalloc …`, for the models the
  /// inputs were estimated with (one per input, duplicates allowed).
  static func line(_ models: [MemoryModel], options: MemoryModelOptions) -> String {
    var versions: [String] = []
    for model in models where !versions.contains(name(model.version)) {
      versions.append(name(model.version))
    }
    let source =
      options.model != nil ? "--model" : options.target != nil ? "--target" : "from the file"
    let allocator = models.first?.allocator ?? options.allocator
    var text =
      "memory model: \(versions.joined(separator: ", ")) (\(source)), \(describe(allocator))"
    if options.asLoaded { text += ", as loaded" }
    if options.listCompressDepth > 0 {
      text += ", list-compress-depth \(options.listCompressDepth)"
    }
    if allocator == .bundled {
      text +=
        "; servers installed from Debian or Ubuntu packages use the system jemalloc: "
        + "--allocator system"
    }
    return text
  }

  /// `Redis 7.4`, `Valkey 8.0`.
  static func name(_ version: MemoryModel.Version) -> String {
    version.rawValue.hasPrefix("valkey-")
      ? "Valkey " + version.rawValue.dropFirst("valkey-".count) : "Redis " + version.rawValue
  }

  private static func describe(_ allocator: MemoryModel.Allocator) -> String {
    switch allocator {
    case .bundled: "bundled jemalloc (8-byte size classes)"
    case .system: "system jemalloc (16-byte size classes)"
    case .libc: "glibc malloc"
    }
  }
}
