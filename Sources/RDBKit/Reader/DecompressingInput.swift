/// A ``ByteInput`` that decompresses gzip and zstd as it reads, recognised by their magic
/// bytes, and passes anything else (an RDB file) through unchanged.
///
/// The format is decided by the first bytes, never by a file name, so `redis-cli --rdb - |
/// gzip` piped into rdbtool, a `.rdb.gz` object in S3 and a zstd file named `dump.rdb` are all
/// read. lz4, bzip2 and xz are recognised too and refused with
/// ``RDBError/Kind/compressed(_:)``, which says how to decompress them first.
///
/// Memory: a 64 KiB buffer of compressed bytes and the decompressor's own state (zlib's
/// 32 KiB window, zstd's window of at most 8 MiB for the default levels).
public struct DecompressingInput<Base: ByteInput>: ByteInput {
  private var base: Base
  private let progress: ParseProgress?
  private var pending = [UInt8](repeating: 0, count: 1 << 16)
  private var start = 0
  private var end = 0
  private var baseEnded = false
  private var detected = false
  private var decompressor: (any StreamDecompressor)?
  private var atBoundary = false
  /// Compressed bytes handed to the decompressor, for error offsets.
  private var consumed = 0
  /// The format found at the start of the input, once the first read has looked.
  public private(set) var compression: Compression?

  /// Reads `base`; when the input turns out to be compressed, `progress` forgets its expected
  /// total, which counted compressed bytes.
  public init(_ base: Base, progress: ParseProgress? = nil) {
    self.base = base
    self.progress = progress
  }

  /// Reads decompressed bytes (or the input's own bytes when it is not compressed).
  /// - Throws: ``RDBError``: `compressed` for a format rdbtool does not read, `corruptStructure`
  ///   for damaged compressed data (at the compressed offset), and the base input's errors.
  public mutating func read(into output: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    if !detected { try detect() }
    guard let decompressor else {
      guard start == end else {
        let count = min(output.count, end - start)
        unsafe pending.withUnsafeBytes { bytes in
          unsafe output.copyMemory(
            from: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
        }
        start += count
        return count
      }
      return try unsafe base.read(into: output)
    }
    guard unsafe !output.isEmpty else { return 0 }
    while true {
      if start == end, !baseEnded { try refill() }
      let first = start
      let last = end
      typealias Step = (consumed: Int, produced: Int, atBoundary: Bool)
      // At the end of the input the decompressor is still called, to flush what it holds.
      let result: Result<Step, RDBError> = unsafe pending.withUnsafeBytes { bytes in
        do throws(RDBError) {
          return .success(
            try unsafe decompressor.decompress(
              UnsafeRawBufferPointer(rebasing: bytes[first..<last]), into: output))
        } catch {
          return .failure(error)
        }
      }
      let step: Step
      switch result {
      case .success(let value): step = value
      case .failure(let error): throw RDBError(error.kind, at: consumed)
      }
      start += step.consumed
      consumed += step.consumed
      if step.produced > 0 || step.consumed > 0 { atBoundary = step.atBoundary }
      if step.produced > 0 { return step.produced }
      guard step.consumed == 0 else { continue }
      if baseEnded {
        guard start == end, atBoundary else { throw endsEarly() }
        return 0
      }
      // No progress on the bytes held: the decompressor needs more of them at once.
      guard start > 0 || end < pending.count else { throw endsEarly() }
      try refill()
    }
  }

  /// Reads the first bytes and picks the decompressor.
  private mutating func detect() throws(RDBError) {
    detected = true
    while end < Compression.longestMagic, !baseEnded { try refill() }
    guard let format = Compression.detect(pending[start..<end]) else { return }
    guard format.isReadable else { throw RDBError(.compressed(format.name), at: 0) }
    compression = format
    decompressor = format == .gzip ? try GzipDecompressor() : try ZstdDecompressor()
    progress?.forgetTotal()
  }

  /// Moves the unread bytes to the front and reads more after them.
  private mutating func refill() throws(RDBError) {
    if start > 0 {
      pending.replaceSubrange(0..<(end - start), with: pending[start..<end])
      end -= start
      start = 0
    }
    let filled = end
    var base = self.base
    let result: Result<Int, RDBError> = unsafe pending.withUnsafeMutableBytes { bytes in
      do throws(RDBError) {
        return .success(
          try unsafe base.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled...])))
      } catch {
        return .failure(error)
      }
    }
    self.base = base
    let read = try result.get()
    if read == 0 { baseEnded = true } else { end += read }
  }

  private func endsEarly() -> RDBError {
    let name = compression?.name ?? "compressed"
    return RDBError(
      .corruptStructure(structure: "\(name) stream", reason: "it ends early"), at: consumed)
  }
}
