#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ``ByteSource`` over bytes that are all in memory (a mapped file).
///
/// The CRC-64 runs in 1 MiB steps behind the read position, while those bytes are still in
/// cache. Pages more than 16 MiB behind are released with `MADV_DONTNEED` when the bytes
/// belong to a mapping, so resident memory stays bounded on files of any size; a buffer the
/// parser handed out earlier stays readable (the kernel faults the page back in).
@safe struct MappedSource: ByteSource {
  static var keepsBytes: Bool { true }
  private let base: UnsafeRawBufferPointer
  private var position = 0
  private var crc: UInt64 = 0
  private var crcPosition = 0
  private var releasedPosition = 0
  private let releasesPages: Bool
  private let progress: ParseProgress?

  private static let crcStep = 1 << 20
  private static let releaseLag = 16 << 20

  /// Reads `base`; `releasesPages` only for a private mapping that the caller owns.
  @unsafe init(base: UnsafeRawBufferPointer, releasesPages: Bool, progress: ParseProgress?) {
    unsafe self.base = base
    self.releasesPages = releasesPages
    self.progress = progress
    progress?.expectTotal(base.count)
  }

  var offset: Int { position }
  var knownRemaining: Int? { unsafe base.count &- position }

  @inline(__always)
  mutating func take(_ count: Int) throws(RDBError) -> UnsafeRawBufferPointer {
    let remaining = unsafe base.count &- position
    guard count <= remaining else {
      throw RDBError(.truncated(needed: count, available: remaining), at: position)
    }
    let start = position
    position &+= count
    if position &- crcPosition >= Self.crcStep { advanceChecksum() }
    return unsafe UnsafeRawBufferPointer(rebasing: base[start..<position])
  }

  mutating func skip(_ count: UInt64) throws(RDBError) {
    let remaining = unsafe base.count &- position
    guard count <= UInt64(remaining) else {
      throw RDBError(.truncated(needed: Int(clamping: count), available: remaining), at: position)
    }
    position &+= Int(count)
    if position &- crcPosition >= Self.crcStep { advanceChecksum() }
  }

  mutating func checksum() -> UInt64 {
    advanceChecksum()
    return crc
  }

  mutating func drain() throws(RDBError) -> Int {
    let rest = unsafe base.count &- position
    position = unsafe base.count
    return rest
  }

  private mutating func advanceChecksum() {
    crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(rebasing: base[crcPosition..<position]))
    crcPosition = position
    progress?.update(bytesRead: position)
    guard releasesPages, let start = unsafe base.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let end = (position &- Self.releaseLag) / page * page
    if end &- releasedPosition >= Self.releaseLag {
      _ = unsafe madvise(
        UnsafeMutableRawPointer(mutating: start + releasedPosition), end &- releasedPosition,
        MADV_DONTNEED)
      releasedPosition = end
    }
  }
}
