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
      "Keep only keys of at least this estimated size (4096, 512KiB, 10MB).", valueName: "SIZE"),
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

extension MemoryModel.Version: ExpressibleByArgument {}
extension MemoryModel.Allocator: ExpressibleByArgument {}
