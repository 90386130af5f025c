import Foundation
import RDBKit
import Testing

/// Values stepped over string by string (a key a handler skips or copies, an element a handler
/// that reads none passes): runs of plain strings (a 6- or 14-bit length, an 8-, 16- or 32-bit
/// integer) go through one loop over the window (`ByteSource.skipPlainStrings`), every other
/// form through the general read. Every form, at every window boundary a stream can put
/// under it, must end each value at the byte the decoding parse ends it, and the CRC-64 must
/// cover every byte.
@Suite struct SkippedStringsTests {
  /// Each form an element string can take, as its RDB bytes.
  static let forms: [[UInt8]] = {
    var forms: [[UInt8]] = []
    for length in [0, 1, 5, 63, 64, 65, 200, 16_383, 16_384] {
      forms.append(
        RDBImageBuilder.length(UInt64(length)) + (0..<length).map { UInt8(truncatingIfNeeded: $0) })
    }
    forms.append([0x40, 0x05] + Array("abcde".utf8))  // a 14-bit length not in its shortest form
    forms.append([0x80, 0, 0, 0, 3] + Array("xyz".utf8))  // a 32-bit length
    forms.append([0xC0, 0x85])  // integers of 1, 2 and 4 bytes
    forms.append([0xC1, 0x34, 0x12])
    forms.append([0xC2, 0x78, 0x56, 0x34, 0x12])
    // LZF: one literal run of 21 bytes (control byte 20).
    forms.append([0xC3, 22, 21, 20] + Array("abcdefghijklmnopqrstu".utf8))
    return forms
  }()

  /// A list, a set, a hash and a sorted set (type 5) of every form (distinct members: each
  /// form once per value, a hash's values the forms in reverse), then a string key.
  static func image(repeating times: Int = 1) -> [UInt8] {
    var image = RDBImageBuilder(version: 10)
    var members: [[UInt8]] = []
    for copy in 0..<times {
      for (index, form) in forms.enumerated() {
        // Distinct members: each copy of a form gets a prefix byte of its own.
        members.append(copy == 0 ? form : distinct(form, copy * forms.count + index))
      }
    }
    image.key(type: 1, "list")
    image.length(UInt64(members.count))
    for member in members { image.raw(member) }
    image.key(type: 2, "set")
    image.length(UInt64(members.count))
    for member in members { image.raw(member) }
    image.key(type: 4, "hash")
    image.length(UInt64(members.count))
    for (member, value) in zip(members, members.reversed()) {
      image.raw(member)
      image.raw(value)
    }
    image.key(type: 5, "zset")
    image.length(UInt64(members.count))
    for (index, member) in members.enumerated() {
      image.raw(member)
      image.littleEndian(Double(index).bitPattern)
    }
    image.key(type: 0, "end")
    image.string("value")
    return image.finished()
  }

  /// `form` made unique by `number`: a raw string with the number's bytes in front (the
  /// integer and LZF forms become raw strings of their text).
  static func distinct(_ form: [UInt8], _ number: Int) -> [UInt8] {
    let tag = Array("#\(number)#".utf8)
    let first = form.first ?? 0
    let body: [UInt8]
    switch first {
    case 0xC0...0xC3: body = Array("form\(form.count)".utf8)
    default: body = Array(form.dropFirst(first < 0x40 ? 1 : first < 0x80 ? 2 : 5))
    }
    let text = tag + body
    return RDBImageBuilder.length(UInt64(text.count)) + text
  }

  @Test func skippedValuesEndWhereDecodedOnesEnd() throws {
    let bytes = Self.image()
    let expected = try Self.offsets(of: bytes, decision: .decode)
    #expect(expected.offsets.count == 5)
    #expect(try Self.offsets(of: bytes, decision: .skip) == expected)
    #expect(try Self.offsets(of: bytes, decision: .copy) == expected)
    for seed in UInt64(1)...40 {
      for chunk in [1, 2, 7, 97, 5_000] {
        let input = ChunkedInput(bytes, seed: seed, maximumChunk: chunk)
        #expect(
          try Self.offsets(of: input, decision: .skip) == expected, "seed \(seed) chunk \(chunk)")
      }
    }
  }

  /// A handler that reads no elements passes the hash's values (and the list's elements) the
  /// quick way too: the same keys, every byte under the checksum, from memory and in chunks.
  @Test func passedElementsAreCountedAndChecksummed() throws {
    let bytes = Self.image()
    var mapped = Counter()
    let summary = try RDBParser().parse(bytes, into: &mapped)
    #expect(mapped.keys == 5)
    #expect(Self.verified(summary.checksum))
    for seed in UInt64(1)...40 {
      var streamed = Counter()
      let input = ChunkedInput(bytes, seed: seed, maximumChunk: [1, 3, 97, 5_000][Int(seed) % 4])
      let streamedSummary = try RDBParser().parse(
        input: input, leavingStringsToChecksum: true, into: &streamed)
      #expect(streamed.keys == 5)
      #expect(Self.verified(streamedSummary.checksum))
    }
  }

  /// A value of several MiB skipped in a mapped file: the loop stops at each 1 MiB step of the
  /// CRC-64 (taken on a thread of its own from 8 MiB), and the trailer still matches.
  @Test func largeSkippedValuesKeepTheChecksum() throws {
    let bytes = Self.image(repeating: 80)
    #expect(bytes.count > 8 << 20)
    let file = try TemporaryImage.write(bytes, prefix: "skipped")
    defer { try? FileManager.default.removeItem(at: file) }
    var skipping = KeyOffsets(decision: .skip)
    let summary = try RDBParser().parse(path: file.path, into: &skipping)
    #expect(Self.verified(summary.checksum))
    #expect(skipping == (try Self.offsets(of: bytes, decision: .decode)))
  }

  /// A damaged or cut image is refused on every path, never read past.
  @Test func cutAndDamagedValuesAreRefused() throws {
    let bytes = Self.image()
    var random = SplitMix64(seed: 9)
    for _ in 0..<300 {
      let cut = Array(bytes[..<(10 + random.below(bytes.count - 20))])
      #expect(throws: RDBError.self) { try Self.offsets(of: cut, decision: .skip) }
      let input = ChunkedInput(cut, seed: random.next(), maximumChunk: 50)
      #expect(throws: RDBError.self) { try Self.offsets(of: input, decision: .skip) }
    }
    for _ in 0..<300 {
      var damaged = bytes
      damaged[10 + random.below(bytes.count - 20)] ^= UInt8(1 << random.below(8))
      // A flipped bit may still parse, as the CRC-64 then refuses it.
      #expect(throws: RDBError.self) { try Self.offsets(of: damaged, decision: .skip) }
    }
  }

  private static func verified(_ status: ChecksumStatus) -> Bool {
    if case .verified = status { return true }
    return false
  }

  private static func offsets(of bytes: [UInt8], decision: KeyDecision) throws -> KeyOffsets {
    var handler = KeyOffsets(decision: decision)
    _ = try RDBParser().parse(bytes, into: &handler)
    return handler
  }

  private static func offsets(of input: ChunkedInput, decision: KeyDecision) throws -> KeyOffsets {
    var handler = KeyOffsets(decision: decision)
    _ = try RDBParser().parse(input: input, into: &handler)
    return handler
  }
}

/// Each key's record offset and the size of its value, as the parser reports them.
private struct KeyOffsets: RDBHandler, Equatable {
  let decision: KeyDecision
  var offsets: [Int] = []
  var valueBytes: [Int] = []

  init(decision: KeyDecision) { self.decision = decision }

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    offsets.append(info.offset)
    return decision
  }

  mutating func endKey(_ summary: KeySummary) { valueBytes.append(summary.valueBytes) }

  static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.offsets == rhs.offsets && lhs.valueBytes == rhs.valueBytes
  }
}

/// Counts keys and reads no string values or elements: elements are passed over.
private struct Counter: RDBHandler {
  static var needsStringValues: Bool { false }
  static var needsElements: Bool { false }
  static var needsPackedElements: Bool { false }
  var keys = 0
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    keys += 1
    return .decode
  }
}
