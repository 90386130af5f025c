import ArgumentParser
import RDBKit

/// The memory model's settings: the facts about the server that the file cannot tell.
struct MemoryModelOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Server version whose rules apply (default: the one that wrote the file).",
      valueName: "VERSION"))
  var model: MemoryModel.Version?

  @Flag(
    help: ArgumentHelp(
      "Estimate what a server holds after loading the file: each hash table sized once for its "
        + "elements, encodings converted as the loader converts them (see --target)."))
  var asLoaded = false

  @Option(
    help: ArgumentHelp(
      "The server that loads the file, as rewrite names it (redis-7.0, valkey-8.0; default: "
        + "the one that wrote it).",
      valueName: "ENGINE-VERSION"))
  var target: String?

  @Option(
    help:
      "Allocator size classes: bundled (source builds and managed services) or system (Debian's and Ubuntu's packaged servers)."
  )
  var allocator: MemoryModel.Allocator = .bundled

  @Option(help: ArgumentHelp("The server's list-compress-depth.", valueName: "N"))
  var listCompressDepth: Int = 0

  @Option(
    help: ArgumentHelp(
      "Keep only keys of at least this estimated size (4096, 512KiB, 10MB).", valueName: "SIZE"),
    transform: ByteSize.parse)
  var minSize: Int?

  func validate() throws {
    if listCompressDepth < 0 { throw ValidationError("--list-compress-depth cannot be negative.") }
    if let target, TargetEngine.named(target) == nil {
      throw ValidationError(
        "Unknown --target '\(target)'; `rdbtool rewrite --list-targets` lists the names.")
    }
    if target != nil, model != nil {
      throw ValidationError("--target and --model both choose the server; give one.")
    }
  }

  /// An estimator with these settings feeding `consumer` (through `--min-size`).
  func estimator<C: KeyMemoryConsumer>(_ consumer: C) -> MemoryEstimator<SizeFilter<C>> {
    let filtered = SizeFilter(consumer, minimumBytes: minSize ?? 0)
    guard let version = model ?? target.flatMap(TargetEngine.named)?.memoryModelVersion else {
      return MemoryEstimator(
        consumer: filtered, allocator: allocator, listCompressDepth: listCompressDepth,
        asLoaded: asLoaded)
    }
    return MemoryEstimator(
      consumer: filtered,
      model: MemoryModel(
        version: version, allocator: allocator, listCompressDepth: listCompressDepth,
        asLoaded: asLoaded))
  }
}

extension MemoryModel.Version: ArgumentChoice {}
extension MemoryModel.Allocator: ArgumentChoice {}
