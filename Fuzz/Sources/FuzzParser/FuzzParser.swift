import RDBKit

/// The fuzz target: parses the input as an RDB file twice, once from memory (the
/// mapped-file path) and once through ``ByteInput`` reads of varying sizes (the path pipes
/// and S3 take), each into the handler `rdbtool verify` uses. Either may fail, but never
/// crash, hang or allocate without bound; and both must reach the same verdict: the same
/// key count and checksum, or both an error at the same byte offset. A disagreement stops the
/// run as a crash.
func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  let mapped = Verdict.of {
    var handler = KeyCountAnalyzer()
    let summary = try RDBParser().parse(bytes, into: &handler)
    return (handler.total.keys, summary.checksum)
  }
  let piped = Verdict.of {
    var handler = KeyCountAnalyzer()
    let summary = try RDBParser().parse(input: VaryingReads(bytes), into: &handler)
    return (handler.total.keys, summary.checksum)
  }
  if mapped != piped {
    fatalError("the two parse paths disagree: memory \(mapped), reads \(piped)")
  }
  return 0
}

/// How a parse ended.
enum Verdict: Equatable, CustomStringConvertible {
  case parsed(keys: Int, checksum: ChecksumStatus)
  case failed(offset: Int, message: String)

  static func of(_ parse: () throws -> (Int, ChecksumStatus)) -> Verdict {
    do {
      let (keys, checksum) = try parse()
      return .parsed(keys: keys, checksum: checksum)
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
    case let (.parsed(a, c), .parsed(b, d)): return a == b && c == d
    case let (.failed(a, _), .failed(b, _)): return a == b
    default: return false
    }
  }

  var description: String {
    switch self {
    case let .parsed(keys, checksum): return "parsed \(keys) keys, checksum \(checksum)"
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
