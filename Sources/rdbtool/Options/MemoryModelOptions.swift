import ArgumentParser
import RDBKit

/// The memory model's settings: the facts about the server that the file cannot tell.
struct MemoryModelOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Server version whose rules apply (default: the one that wrote the file).",
      valueName: "VERSION"))
  var model: MemoryModel.Version?

  @Option(
    help:
      "Allocator size classes: bundled (source builds and managed services, the default) or system."
  )
  var allocator: MemoryModel.Allocator = .bundled

  @Option(help: ArgumentHelp("The server's list-compress-depth (default 0).", valueName: "N"))
  var listCompressDepth: Int = 0

  @Option(
    help: ArgumentHelp(
      "Keep only keys of at least this estimated size (10MB, 512KB, 4096).", valueName: "BYTES"),
    transform: ByteSize.parse)
  var minSize: Int?

  func validate() throws {
    if listCompressDepth < 0 { throw ValidationError("--list-compress-depth cannot be negative.") }
  }

  /// An estimator with these settings feeding `consumer` (through `--min-size`).
  func estimator<C: KeyMemoryConsumer>(_ consumer: C) -> MemoryEstimator<SizeFilter<C>> {
    let filtered = SizeFilter(consumer, minimumBytes: minSize ?? 0)
    guard let model else {
      return MemoryEstimator(
        consumer: filtered, allocator: allocator, listCompressDepth: listCompressDepth)
    }
    return MemoryEstimator(
      consumer: filtered,
      model: MemoryModel(version: model, allocator: allocator, listCompressDepth: listCompressDepth)
    )
  }
}

/// Sizes as users write them: `4096`, `512KB`, `10MB`, `2GB` (powers of 1024), `1.5GB`.
enum ByteSize {
  static func parse(_ text: String) throws -> Int {
    let kib = 1024.0
    let units: [(String, Double)] = [
      ("KB", kib), ("MB", kib * kib), ("GB", kib * kib * kib), ("K", kib), ("M", kib * kib),
      ("G", kib * kib * kib), ("B", 1),
    ]
    let upper = text.uppercased()
    for (suffix, factor) in units where upper.hasSuffix(suffix) {
      guard let number = Double(upper.dropLast(suffix.count)), number >= 0 else { break }
      return Int(number * factor)
    }
    guard let number = Int(text), number >= 0 else {
      throw ValidationError("'\(text)' is not a size: use bytes, or a number with KB, MB or GB.")
    }
    return number
  }
}

extension MemoryModel.Version: ExpressibleByArgument {}
extension MemoryModel.Allocator: ExpressibleByArgument {}
