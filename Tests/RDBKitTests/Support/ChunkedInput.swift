import RDBKit
import Testing

/// A small deterministic PRNG (SplitMix64), so hostile-input runs can be replayed from a seed.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound`.
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// A ``ByteInput`` that serves an array in small chunks of random size (1…`maximumChunk`
/// bytes), the way a pipe or a socket delivers data.
struct ChunkedInput: ByteInput {
  private let bytes: [UInt8]
  private var position = 0
  private var random: SplitMix64
  private let maximumChunk: Int

  init(_ bytes: [UInt8], seed: UInt64, maximumChunk: Int = 97) {
    self.bytes = bytes
    random = SplitMix64(seed: seed)
    self.maximumChunk = maximumChunk
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    guard position < bytes.count, buffer.count > 0 else { return 0 }
    let count = min(buffer.count, bytes.count - position, 1 + random.below(maximumChunk))
    bytes.withUnsafeBytes { source in
      UnsafeMutableRawBufferPointer(rebasing: buffer[..<count])
        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + count)]))
    }
    position += count
    return count
  }
}

/// The name of an error kind without its payload, for comparing errors whose reason text is
/// not part of the contract.
enum KindName: String, Sendable {
  case truncated, badMagic, unsupportedVersion, lengthTooLarge, invalidLengthEncoding
  case invalidStringEncoding, unknownType, corruptLZF, corruptStructure, invalidValue
  case unreadableModule, checksumMismatch, readFailed, other
}

extension RDBError.Kind {
  var name: KindName {
    switch self {
    case .truncated: return .truncated
    case .badMagic: return .badMagic
    case .unsupportedVersion: return .unsupportedVersion
    case .lengthTooLarge: return .lengthTooLarge
    case .invalidLengthEncoding: return .invalidLengthEncoding
    case .invalidStringEncoding: return .invalidStringEncoding
    case .unknownType: return .unknownType
    case .corruptLZF: return .corruptLZF
    case .corruptStructure: return .corruptStructure
    case .invalidValue: return .invalidValue
    case .unreadableModule: return .unreadableModule
    case .checksumMismatch: return .checksumMismatch
    case .readFailed: return .readFailed
    default: return .other
    }
  }
}

/// What one parse of some bytes came to: the collected records, or the error.
enum ParseOutcome: CustomStringConvertible {
  case success(records: String, summary: String, checksum: ChecksumStatus)
  case failure(RDBError)

  var error: RDBError? {
    if case .failure(let error) = self { return error }
    return nil
  }

  var description: String {
    switch self {
    case .success(_, let summary, _): return "success \(summary)"
    case .failure(let error): return "failure \(error)"
    }
  }

  /// Parses `bytes` from memory (the mapped path).
  static func mapped(_ bytes: [UInt8]) -> ParseOutcome {
    var collector = RecordCollector()
    do {
      let summary = try RDBParser().parse(bytes, into: &collector)
      return .success(
        records: fingerprint(collector), summary: "\(summary)", checksum: summary.checksum)
    } catch {
      return .failure(error)
    }
  }

  /// Parses `bytes` through ``ChunkedInput`` (the pipe path).
  static func streamed(_ bytes: [UInt8], seed: UInt64, maximumChunk: Int = 97) -> ParseOutcome {
    var collector = RecordCollector()
    do {
      let summary = try RDBParser().parse(
        input: ChunkedInput(bytes, seed: seed, maximumChunk: maximumChunk), into: &collector)
      return .success(
        records: fingerprint(collector), summary: "\(summary)", checksum: summary.checksum)
    } catch {
      return .failure(error)
    }
  }

  /// Parses `bytes` from memory into a handler that needs neither string values nor
  /// elements (the `verify` path: compressed strings left to the checksum, listpacks walked in
  /// place); the records are not collected.
  static func counted(_ bytes: [UInt8]) -> ParseOutcome {
    var counter = KeyCountAnalyzer()
    do {
      let summary = try RDBParser().parse(bytes, into: &counter)
      return .success(records: "", summary: "\(summary)", checksum: summary.checksum)
    } catch {
      return .failure(error)
    }
  }

  /// Whether the `verify` path fails the same way as the collecting path. The one difference
  /// allowed: it checks a compressed string's sizes (a compressed packed value's sizes and
  /// header) only, leaving its bytes to the checksum, so a string that does not decompress may
  /// fail later or, under a matching checksum, not at all, and a damaged compressed packed
  /// value under a matching checksum is not found.
  static func countedAgrees(_ bytes: [UInt8], with mapped: ParseOutcome) -> Bool {
    var counter = KeyCountAnalyzer()
    let summary: ParseSummary
    do {
      summary = try RDBParser().parse(bytes, into: &counter)
    } catch {
      guard let expected = mapped.error else { return false }
      return error == expected || expected.kind.name == .corruptLZF
    }
    guard let expected = mapped.error else { return true }
    return expected.kind.name == .corruptLZF && summary.uncheckedStrings > 0
      || summary.uncheckedPackedValues > 0
  }

  /// The known divergence of PendingBugs `lengthAboveIntMaxHasOneOffset`: a length above
  /// `Int.max` is reported at its first byte by the pipe path, after it by the mapped path.
  static func isKnownIntMaxOffsetBug(mapped: ParseOutcome, streamed: ParseOutcome) -> Bool {
    guard let m = mapped.error, let s = streamed.error,
      case .lengthTooLarge(let a) = m.kind, case .lengthTooLarge(let b) = s.kind
    else { return false }
    return a == b && a > UInt64(Int.max) && s.offset < m.offset && m.key == s.key
  }

  static func fingerprint(_ collector: RecordCollector) -> String {
    var text = "\(collector.version.map { "\($0)" } ?? "-") aux=\(collector.aux) "
    text += "functions=\(collector.functions)\n"
    for key in collector.keys {
      let expiries = key.fieldExpiries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      text +=
        "\(key.database) \(key.keyHex) \(key.type) \(key.encoding) \(String(describing: key.expiresAt)) "
      text += "\(String(describing: key.idle)) \(String(describing: key.frequency)) "
      text +=
        "\(String(describing: key.string)) \(key.elements) \(key.scores) \(key.pairs) \(expiries) "
      text += "\(String(describing: key.stream)) \(String(describing: key.module))\n"
    }
    return text
  }

  /// Whether a streamed outcome agrees with the mapped one. The only allowed difference: the
  /// mapped path knows the input's size and rejects a length or count that cannot fit
  /// (`lengthTooLarge`) before reading it, where the pipe path reads on and fails later (it
  /// cannot know the size); then the pipe path must fail too, at or after that offset.
  static func agree(mapped: ParseOutcome, streamed: ParseOutcome) -> Bool {
    switch (mapped, streamed) {
    case (.success(let a, let b, _), .success(let c, let d, _)):
      return a == c && b == d
    case (.failure(let m), .failure(let s)):
      if m == s { return true }
      if m.kind.name == .lengthTooLarge { return s.offset >= m.offset }
      return false
    default:
      return false
    }
  }
}

/// Parses `bytes` from memory and returns the collector and summary.
func parseImage(_ bytes: [UInt8]) throws(RDBError) -> (RecordCollector, ParseSummary) {
  var collector = RecordCollector()
  let summary = try RDBParser().parse(bytes, into: &collector)
  return (collector, summary)
}

/// Expects `bytes` to fail with exactly `expected` on the mapped path, and with the same error
/// through the pipe path (or, for `lengthTooLarge`, some error no earlier).
func expectFailure(
  _ bytes: [UInt8], _ expected: RDBError, sourceLocation: SourceLocation = #_sourceLocation
) {
  let mapped = ParseOutcome.mapped(bytes)
  #expect(mapped.error == expected, "mapped: \(mapped)", sourceLocation: sourceLocation)
  #expect(
    ParseOutcome.countedAgrees(bytes, with: mapped), "counted: \(ParseOutcome.counted(bytes))",
    sourceLocation: sourceLocation)
  for seed in [1, 2] as [UInt64] {
    let streamed = ParseOutcome.streamed(bytes, seed: seed, maximumChunk: 7)
    #expect(
      ParseOutcome.agree(mapped: .failure(expected), streamed: streamed),
      "streamed: \(streamed)", sourceLocation: sourceLocation)
  }
}

/// Expects a failure of kind `kind` at `offset` inside `key`, whatever its reason text.
func expectFailure(
  _ bytes: [UInt8], _ kind: KindName, at offset: Int, key: String?,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let mapped = ParseOutcome.mapped(bytes)
  let error = mapped.error
  #expect(error?.kind.name == kind, "mapped: \(mapped)", sourceLocation: sourceLocation)
  #expect(error?.offset == offset, "mapped: \(mapped)", sourceLocation: sourceLocation)
  #expect(error?.key == key, "mapped: \(mapped)", sourceLocation: sourceLocation)
  #expect(
    ParseOutcome.countedAgrees(bytes, with: mapped), "counted: \(ParseOutcome.counted(bytes))",
    sourceLocation: sourceLocation)
  if let error {
    let streamed = ParseOutcome.streamed(bytes, seed: 3, maximumChunk: 5)
    #expect(
      ParseOutcome.agree(mapped: .failure(error), streamed: streamed),
      "streamed: \(streamed)", sourceLocation: sourceLocation)
  }
}

/// Parses `bytes` on both paths, expects success and identical output, and returns the keys.
func expectKeys(
  _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) -> [CollectedKey] {
  let mapped = ParseOutcome.mapped(bytes)
  let streamed = ParseOutcome.streamed(bytes, seed: 4, maximumChunk: 5)
  #expect(mapped.error == nil, "mapped: \(mapped)", sourceLocation: sourceLocation)
  #expect(
    ParseOutcome.countedAgrees(bytes, with: mapped), "counted: \(ParseOutcome.counted(bytes))",
    sourceLocation: sourceLocation)
  #expect(
    ParseOutcome.agree(mapped: mapped, streamed: streamed), "streamed: \(streamed)",
    sourceLocation: sourceLocation)
  return (try? parseImage(bytes).0.keys) ?? []
}
