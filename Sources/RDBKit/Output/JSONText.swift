/// How byte strings are written in JSON output.
public enum ByteStringStyle: String, Sendable, CaseIterable {
  /// Valid UTF-8 as a JSON string, anything else as `{"base64":"…"}`.
  case utf8
  /// Every byte string as a base64 JSON string.
  case base64
  /// Every byte string as a JSON string in ``ByteText``'s lossless form: valid UTF-8 as it
  /// is, a backslash doubled, other bytes as `\xHH`. Keys are always strings, which SQL
  /// readers such as DuckDB compare directly.
  case text
}

/// JSON text for byte strings: escaping, UTF-8 validation and base64.
enum JSONText {
  /// The bytes `span` views, valid as long as the span is (during the handler call that got
  /// it). Taken without a closure around the caller's work, which would capture the writer
  /// and its output (a retain and a release for every field) and was not inlined.
  @inline(__always)
  @unsafe static func bytes(of span: RawSpan) -> UnsafeRawBufferPointer {
    unsafe span.withUnsafeBytes { unsafe $0 }
  }

  /// Appends the bytes of `span` as a JSON value in `style`. (Writers call this rather than
  /// open the span in a closure of their own, which retained `output` for every value.)
  @inline(__always)
  static func appendValue(_ span: RawSpan, style: ByteStringStyle, to output: OutputBuffer) {
    unsafe span.withUnsafeBytes { unsafe appendValue($0, style: style, to: output) }
  }

  /// Appends `bytes` as a JSON value in `style`: a string when it can be one losslessly,
  /// else `{"base64":"…"}`; always a string in the base64 and text styles.
  @inline(__always)
  static func appendValue(
    _ bytes: UnsafeRawBufferPointer, style: ByteStringStyle, to output: OutputBuffer
  ) {
    if style != .base64, unsafe appendIfPlain(bytes, to: output) { return }
    unsafe appendValue(notPlain: bytes, style: style, to: output)
  }

  /// Appends `bytes`, which are not all plain ASCII (``appendIfPlain(_:to:)`` would not take
  /// them) unless the style is base64, as a JSON value in `style`: up to
  /// ``longestStoredValue`` bytes stored in one reservation
  /// (``storeValue(notPlain:style:at:)``), a longer value piece by piece.
  static func appendValue(
    notPlain bytes: UnsafeRawBufferPointer, style: ByteStringStyle, to output: OutputBuffer
  ) {
    if bytes.count <= longestStoredValue {
      let out = unsafe output.reserve(mostStoredBytes(notPlain: bytes.count))
      return output.advance(by: unsafe storeValue(notPlain: bytes, style: style, at: out))
    }
    if style == .text {
      if unsafe ByteText.isPlain(bytes) { return unsafe appendEscaped(bytes, to: output) }
      unsafe ByteText.escaped(bytes).withUnsafeBytes { unsafe appendEscaped($0, to: output) }
    } else if style == .base64 {
      output.append(UInt8(ascii: "\""))
      unsafe appendBase64(bytes, to: output)
      output.append(UInt8(ascii: "\""))
    } else if unsafe isValidUTF8(bytes) {
      unsafe appendEscaped(bytes, to: output)
    } else {
      unsafe appendBase64Object(bytes, to: output)
    }
  }

  /// Appends `bytes` as a JSON string and returns true when every byte is ASCII that needs no
  /// escape (most keys, fields and members); returns false, appending nothing, otherwise.
  ///
  /// One pass decides what ``isValidUTF8(_:)`` and ``appendEscaped(_:to:)`` would take two
  /// for, and copies as it goes, eight bytes at a time: the last word is the string's last
  /// eight bytes, and a string shorter than eight is gathered into one word (with overlapping
  /// loads, padded with `A`s), tested and stored whole, so a short name costs a few
  /// instructions and no `memmove` call. A short string's word may land past the closing
  /// quote, in room reserved for it and never counted.
  @inline(__always)
  static func appendIfPlain(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) -> Bool {
    let count = bytes.count
    let out = unsafe output.reserve(count &+ 10)
    unsafe out.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
    guard unsafe storeIfPlain(bytes, at: out + 1) else { return false }
    unsafe out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: count &+ 1, as: UInt8.self)
    output.advance(by: count &+ 2)
    return true
  }

  /// Copies `bytes` to `out` and returns true when every byte is ASCII that needs no escape;
  /// returns false otherwise, having copied some of them. Eight bytes at a time: the last
  /// word is the string's last eight bytes, and a string shorter than eight is gathered into
  /// one word, tested and stored whole, so up to 8 bytes past `bytes.count` at `out` may be
  /// written (the caller reserves them).
  @inline(__always)
  @unsafe static func storeIfPlain(_ bytes: UnsafeRawBufferPointer, at out: UnsafeMutableRawPointer)
    -> Bool
  {
    let count = bytes.count
    guard let source = bytes.baseAddress else { return true }
    if count >= 8 {
      // Whole words up to the last 1-8 bytes, then the last eight bytes, which may overlap
      // the word before them (tested and stored again, the same bytes).
      var index = 0
      while index &+ 8 < count {
        let word = unsafe source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if !isPlain(word) { return false }
        unsafe out.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
        index &+= 8
      }
      let last = count &- 8
      let word = unsafe source.loadUnaligned(fromByteOffset: last, as: UInt64.self)
      if !isPlain(word) { return false }
      unsafe out.storeBytes(of: word, toByteOffset: last, as: UInt64.self)
    } else if count > 0 {
      let word = unsafe tailWord(source, count: count)
      if !isPlain(word) { return false }
      unsafe out.storeBytes(of: word, as: UInt64.self)
    }
    return true
  }

  /// Stores `,"name":"` (`{` first when `first`), the text before a value in an object:
  /// `name.count + 5` bytes at `at`, which has room for a word more (``storeIfPlain(_:at:)``
  /// and the `":"` word store past them); false when the name is not plain ASCII. Hashes'
  /// fields (``MapWriter``) and stream entries' names (``StreamNodeWriter``) both go here.
  @inline(__always)
  @unsafe static func storePlainName(
    _ name: UnsafeRawBufferPointer, first: Bool, at: UnsafeMutableRawPointer
  ) -> Bool {
    unsafe at.storeBytes(of: UInt8(ascii: first ? "{" : ","), as: UInt8.self)
    unsafe at.storeBytes(of: UInt8(ascii: "\""), toByteOffset: 1, as: UInt8.self)
    guard unsafe storeIfPlain(name, at: at + 2) else { return false }
    // `":"` after the name (a fourth byte that the value, or the next text, overwrites).
    unsafe at.storeBytes(
      of: (0x22_3A22 as UInt32).littleEndian, toByteOffset: name.count &+ 2, as: UInt32.self)
    return true
  }

  /// The `count` (1 ... 7) bytes at `source` in the low bytes of a word, the rest `A`s.
  @inline(__always)
  @unsafe private static func tailWord(_ source: UnsafeRawPointer, count: Int) -> UInt64 {
    let word: UInt64
    if count >= 4 {
      let head = UInt64(unsafe source.loadUnaligned(as: UInt32.self))
      let tail = UInt64(
        unsafe source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
      word = head | tail &<< UInt64((count &- 4) &* 8)
    } else {
      let middle = count &>> 1
      word =
        UInt64(unsafe source.load(as: UInt8.self))
        | UInt64(unsafe source.load(fromByteOffset: middle, as: UInt8.self)) &<< UInt64(middle &* 8)
        | UInt64(unsafe source.load(fromByteOffset: count &- 1, as: UInt8.self))
        &<< UInt64((count &- 1) &* 8)
    }
    let used: UInt64 = (1 &<< UInt64(count &* 8)) &- 1
    return word | (0x4141_4141_4141_4141 & ~used)
  }

  /// Appends a JSON string of `bytes`, which must be valid UTF-8.
  ///
  /// Runs that need no escape are copied whole; eight bytes at a time are tested for a
  /// control character, `"` or `\\` at once.
  @inline(__always)
  static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
    output.append(UInt8(ascii: "\""))
    var runStart = 0
    var index = 0
    let count = bytes.count
    while index < count {
      if index &+ 8 <= count {
        let word = unsafe bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if !needsEscape(word) {
          index &+= 8
          continue
        }
      }
      let byte = unsafe bytes[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
        index &+= 1
        continue
      }
      unsafe output.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
      switch byte {
      case UInt8(ascii: "\""): output.append("\\\"")
      case UInt8(ascii: "\\"): output.append("\\\\")
      case 0x0A: output.append("\\n")
      case 0x0D: output.append("\\r")
      case 0x09: output.append("\\t")
      default:
        output.append("\\u00")
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 15)])
      }
      index &+= 1
      runStart = index
    }
    unsafe output.append(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    output.append(UInt8(ascii: "\""))
  }

  /// Whether every byte of `word` is ASCII that a JSON string holds as it is: not 0x80 or
  /// above, below 0x20, `"` or `\\`.
  ///
  /// One test for all four (SWAR): for a byte below 0x80, subtracting 0x20 borrows into its
  /// high bit only when it is below 0x20, and subtracting 1 from it XOR `"` or `\\` only when
  /// it is that character; a byte of 0x80 or more has its high bit set already, which fails
  /// the word whatever the subtractions did to the bytes above it.
  @inline(__always)
  static func isPlain(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let flagged =
      word | (word &- ones &* 0x20) | ((word ^ (ones &* 0x22)) &- ones)
      | ((word ^ (ones &* 0x5C)) &- ones)
    return flagged & 0x8080_8080_8080_8080 == 0
  }

  /// Whether any byte of `word` is below 0x20, `"` or `\\` (SWAR: a zero byte after XOR marks
  /// a match; `x - 0x20` borrows into the high bit for bytes below 0x20).
  @inline(__always)
  static func needsEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
    let below = (word &- ones &* 0x20) & ~word & highs != 0
    return below || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
  }

  /// Appends a JSON string with one `\u00XX` escape per byte that is not printable ASCII:
  /// the bytes read as Latin-1, as redis-rdb-tools writes names that are not UTF-8.
  static func appendLatin1(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
    output.append(UInt8(ascii: "\""))
    for index in 0..<bytes.count {
      let byte = unsafe bytes[index]
      if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        output.append(byte)
      } else {
        output.append("\\u00")
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 15)])
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
  private static let base64Alphabet: StaticString =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

  /// The two base64 characters of every 12 bits, first character in the low byte: one load
  /// for two characters. Built once, never freed.
  nonisolated(unsafe) private static let base64Pairs: UnsafePointer<UInt16> = {
    let alphabet = unsafe base64Alphabet.utf8Start
    let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 4096)
    for index in 0..<4096 {
      unsafe table[index] = UInt16(alphabet[index >> 6]) | UInt16(alphabet[index & 63]) << 8
    }
    return unsafe UnsafePointer(table)
  }()

  /// Appends standard base64 (with padding) of `bytes`, written straight into the buffer.
  static func appendBase64(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
    let encoded = (bytes.count + 2) / 3 * 4
    unsafe storeBase64(bytes, at: output.reserve(encoded))
    output.advance(by: encoded)
  }

  /// Appends `{"base64":"…"}` of `bytes`, in one reservation.
  static func appendBase64Object(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
    let encoded = (bytes.count + 2) / 3 * 4
    output.advance(by: unsafe storeBase64Object(bytes, at: output.reserve(encoded &+ 13)))
  }

  /// Stores standard base64 (with padding) of `bytes` at `out`, which has room for it: every
  /// three bytes as two lookups of two characters each, six bytes of a word loaded at once
  /// while eight are left.
  @unsafe static func storeBase64(
    _ bytes: UnsafeRawBufferPointer, at out: UnsafeMutableRawPointer
  ) {
    let count = bytes.count
    let alphabet = unsafe base64Alphabet.utf8Start
    let pairs = unsafe base64Pairs
    var index = 0
    var position = 0
    while index &+ 8 <= count {
      // The first six bytes in the top 48 bits, the first byte highest.
      let word = UInt64(
        bigEndian: unsafe bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      let text =
        unsafe UInt64(pairs[Int(truncatingIfNeeded: word &>> 52)])
        | UInt64(pairs[Int(truncatingIfNeeded: word &>> 40) & 0xFFF]) &<< 16
        | UInt64(pairs[Int(truncatingIfNeeded: word &>> 28) & 0xFFF]) &<< 32
        | UInt64(pairs[Int(truncatingIfNeeded: word &>> 16) & 0xFFF]) &<< 48
      unsafe out.storeBytes(of: text.littleEndian, toByteOffset: position, as: UInt64.self)
      index &+= 6
      position &+= 8
    }
    while index &+ 3 <= count {
      let chunk =
        unsafe Int(bytes[index]) << 16 | Int(bytes[index &+ 1]) << 8 | Int(bytes[index &+ 2])
      let word = unsafe UInt32(pairs[chunk >> 12]) | UInt32(pairs[chunk & 0xFFF]) << 16
      unsafe out.storeBytes(of: word.littleEndian, toByteOffset: position, as: UInt32.self)
      index &+= 3
      position &+= 4
    }
    let rest = count &- index
    if rest > 0 {
      var chunk = unsafe UInt32(bytes[index]) << 16
      if rest == 2 { chunk |= unsafe UInt32(bytes[index &+ 1]) << 8 }
      let third = rest == 2 ? unsafe alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "=")
      unsafe out.storeBytes(
        of: alphabet[Int(chunk >> 18 & 63)], toByteOffset: position, as: UInt8.self)
      unsafe out.storeBytes(
        of: alphabet[Int(chunk >> 12 & 63)], toByteOffset: position &+ 1, as: UInt8.self)
      unsafe out.storeBytes(of: third, toByteOffset: position &+ 2, as: UInt8.self)
      unsafe out.storeBytes(of: UInt8(ascii: "="), toByteOffset: position &+ 3, as: UInt8.self)
    }
  }

  /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above
  /// U+10FFFF).
  @inline(__always)
  static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    let count = bytes.count
    // ASCII fast path, 8 bytes at a time.
    while index &+ 8 <= count,
      unsafe bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080
        == 0
    {
      index &+= 8
    }
    while index < count {
      if unsafe bytes[index] < 0x80 {
        index &+= 1
        continue
      }
      guard let length = unsafe sequenceLength(bytes, at: index) else { return false }
      index &+= length
    }
    return true
  }

  /// The length of the well-formed UTF-8 sequence that starts at `index` with a byte of 0x80
  /// or more, or nil when none does (a stray continuation byte, an overlong form, a
  /// surrogate, a value above U+10FFFF or a sequence cut short).
  @inline(__always)
  static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
    let count = bytes.count
    let lead = unsafe bytes[index]
    let length: Int
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; lower = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; upper = 0x9F
    case 0xF0: length = 4; lower = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; upper = 0x8F
    default: return nil
    }
    guard length <= count &- index else { return nil }
    let second = unsafe bytes[index &+ 1]
    guard second >= lower, second <= upper else { return nil }
    for offset in 2..<max(length, 2) {
      let next = unsafe bytes[index &+ offset]
      guard next & 0xC0 == 0x80 else { return nil }
    }
    return length
  }

  /// Appends an integer, or `null` for nil.
  static func appendInteger(_ value: Int64?, to output: OutputBuffer) {
    if let value {
      output.append(integer: value)
    } else {
      output.append("null")
    }
  }

  /// Appends a score: a JSON number, or "inf", "-inf", "nan" as strings.
  static func appendScore(_ score: Double, to output: OutputBuffer) {
    if score.isNaN {
      output.append("\"nan\"")
    } else if score.isInfinite {
      output.append(score < 0 ? "\"-inf\"" : "\"inf\"")
    } else if abs(score) < 9.0e15, Double(Int64(score)) == score,
      !(score == 0 && score.sign == .minus)
    {
      output.append(integer: Int64(score))
    } else if !ScoreDecimal.appendIfCovered(score, to: output) {
      output.append(score.description)
    }
  }
}
