import RDBKit

/// The fuzz target: the input's first byte picks a ``DecoderKind``, the rest is a blob of it.
/// The blob is read by its decoder alone and as the value of a one-key file. Nothing may
/// crash, hang or allocate without bound, and where the decoder accepts a blob:
/// - the writer's encoder writes its elements into a blob the decoder reads back the same;
/// - the file parses only if the decoder accepts the blob, and reports the same elements;
/// - the parse into the handler `rdbtool verify` uses (which checks packed values without
///   reporting their elements) reaches the same verdict as one that reports them.
/// A broken rule stops the run as a crash.
func fuzzDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  let kind = DecoderKind(selector: bytes[0])
  let blob = Array(bytes.dropFirst())
  let direct = DirectWalk.elements(kind, blob)
  if let direct, let again = DirectWalk.reencoded(kind, direct) {
    let reread = DirectWalk.elements(kind, again)
    if reread != direct {
      fatalError(
        "\(kind): \(direct.count) elements written by the writer's encoder read back as "
          + (reread.map { "\($0.count) other elements" } ?? "a refused blob"))
    }
  }
  let file = ValueImage.file(kind, blob: blob)
  var collector = ElementCollector()
  let reported = Outcome.of { try RDBParser().parse(file, into: &collector) }
  var counter = KeyCountAnalyzer()
  let verified = Outcome.of { try RDBParser().parse(file, into: &counter) }
  if reported != verified {
    fatalError("\(kind): reporting the elements \(reported), verifying \(verified)")
  }
  guard case .parsed = reported else { return 0 }
  guard let direct else { fatalError("\(kind): the decoder refuses a blob the parser accepts") }
  if let expected = collector.expected(from: direct, kind), expected != collector.elements {
    fatalError(
      "\(kind): the parser reports \(collector.elements.count) elements, the decoder "
        + "\(expected.count), or others")
  }
  return 0
}

/// How a parse ended: parsed, or failed at a byte offset (the wording may differ).
enum Outcome: Equatable, CustomStringConvertible {
  case parsed
  case failed(offset: Int, message: String)

  static func of(_ parse: () throws -> Void) -> Outcome {
    do {
      try parse()
      return .parsed
    } catch let error as RDBError {
      return .failed(offset: error.offset, message: "\(error)")
    } catch {
      return .failed(offset: -1, message: "\(error)")
    }
  }

  static func == (lhs: Outcome, rhs: Outcome) -> Bool {
    switch (lhs, rhs) {
    case (.parsed, .parsed): return true
    case let (.failed(a, _), .failed(b, _)): return a == b
    default: return false
    }
  }

  var description: String {
    switch self {
    case .parsed: return "parsed"
    case let .failed(_, message): return "failed: \(message)"
    }
  }
}
