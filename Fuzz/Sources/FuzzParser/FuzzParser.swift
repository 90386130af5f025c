import RDBKit

/// The fuzz target: parses the input as an RDB file from memory (the mapped-file path) and
/// through ``ByteInput`` reads of varying sizes (the path pipes and S3 take), each into the
/// handler `rdbtool verify` uses, both with every value decoded (`verify --deep`) and with
/// compressed values left to the checksum (`verify`). Any parse may fail, but never crash,
/// hang or allocate without bound; a disagreement stops the run as a crash:
///
/// - decoding everything, both paths reach the same verdict: the same key count and checksum,
///   or both an error at the same byte offset;
/// - leaving to the checksum, the mapped path fails exactly where decoding everything fails
///   (it names the first damage), and accepts what decoding everything accepts, or more only
///   behind a verified checksum, having left something to it;
/// - the refilled path leaving to the checksum accepts what the mapped path accepts, and
///   rejects what it rejects, at the same byte or later (a damaged value it left surfaces as
///   a later error or as the checksum mismatch), or, without a checksum, reports what it
///   left unchecked.
func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  let deep = RDBParser(decodesEverything: true)
  let deepMapped = Verdict.of { handler in try deep.parse(bytes, into: &handler) }
  let deepPiped = Verdict.of { handler in try deep.parse(input: VaryingReads(bytes), into: &handler)
  }
  if deepMapped != deepPiped {
    fatalError("the two deep parse paths disagree: memory \(deepMapped), reads \(deepPiped)")
  }
  let mapped = Verdict.of { handler in try RDBParser().parse(bytes, into: &handler) }
  if !mapped.agrees(withDeep: deepMapped) {
    fatalError("the mapped path disagrees with its deep parse: \(mapped), deep \(deepMapped)")
  }
  let piped = Verdict.of { handler in
    try RDBParser().parse(
      input: VaryingReads(bytes), leavingStringsToChecksum: true,
      leavingPackedValuesToChecksum: true, into: &handler)
  }
  if !piped.agrees(withMapped: mapped) {
    fatalError("the two parse paths disagree: memory \(mapped), reads \(piped)")
  }
  return 0
}

/// How a parse ended.
enum Verdict: Equatable, CustomStringConvertible {
  /// Parsed; `unchecked` compressed values were left to the checksum.
  case parsed(keys: Int, checksum: ChecksumStatus, unchecked: Int)
  case failed(offset: Int, message: String)

  static func of(_ parse: (inout KeyCountAnalyzer) throws -> ParseSummary) -> Verdict {
    var handler = KeyCountAnalyzer()
    do {
      let summary = try parse(&handler)
      return .parsed(
        keys: handler.total.keys, checksum: summary.checksum,
        unchecked: summary.uncheckedStrings + summary.uncheckedPackedValues)
    } catch let error as RDBError {
      return .failed(offset: error.offset, message: "\(error)")
    } catch {
      return .failed(offset: -1, message: "\(error)")
    }
  }

  /// Errors agree on their offset; their wording may differ between the paths (a mapped
  /// file knows a string runs past the end before reading it, a pipe finds out).
  static func == (lhs: Verdict, rhs: Verdict) -> Bool {
    switch (lhs, rhs) {
    case let (.parsed(a, c, u), .parsed(b, d, v)): return a == b && c == d && u == v
    case let (.failed(a, _), .failed(b, _)): return a == b
    default: return false
    }
  }

  /// Whether this mapped verdict, compressed values left to the checksum, fits the mapped
  /// verdict of decoding everything.
  func agrees(withDeep deep: Verdict) -> Bool {
    switch (self, deep) {
    case let (.failed(a, _), .failed(b, _)): return a == b
    case let (.parsed(a, c, _), .parsed(b, d, _)): return a == b && c == d
    case let (.parsed(_, checksum, unchecked), .failed):
      if case .verified = checksum { return unchecked > 0 }
      return false
    case (.failed, .parsed): return false
    }
  }

  /// Whether this refilled verdict, compressed values left to the checksum, fits the mapped
  /// one.
  func agrees(withMapped mapped: Verdict) -> Bool {
    switch (self, mapped) {
    case let (.parsed(a, c, _), .parsed(b, d, _)): return a == b && c == d
    case let (.failed(a, _), .failed(b, _)): return a >= b
    case let (.parsed(_, checksum, unchecked), .failed):
      return checksum == .notChecked && unchecked > 0
    case (.failed, .parsed): return false
    }
  }

  var description: String {
    switch self {
    case let .parsed(keys, checksum, unchecked):
      return "parsed \(keys) keys, checksum \(checksum), \(unchecked) left to it"
    case let .failed(_, message): return "failed: \(message)"
    }
  }
}

/// The input handed out in reads of 1 to 4,096 bytes, sizes drawn from the input itself so
/// that a crash reproduces from its file.
struct VaryingReads: ByteInput {
  private let bytes: [UInt8]
  private var position = 0
  private var state: UInt64

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    state = bytes.reduce(0x9E37_79B9_7F4A_7C15) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    guard position < bytes.count, let target = buffer.baseAddress else { return 0 }
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let count = min(buffer.count, bytes.count - position, 1 + Int(state >> 52))
    unsafe bytes.withUnsafeBytes { source in
      guard let start = source.baseAddress else { return }
      unsafe target.copyMemory(from: start + position, byteCount: count)
    }
    position += count
    return count
  }
}
