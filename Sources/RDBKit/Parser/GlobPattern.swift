/// A Redis glob pattern, matched the way `KEYS` and `SCAN MATCH` match (`stringmatchlen`):
/// `*` any run of bytes, `?` one byte, `[abc]`, `[^a-z]` and `[a-z]` classes, `\x` a literal x.
/// Matching is on bytes, so binary key names match as they do in Redis.
public struct GlobPattern: Sendable, Equatable {
  private let pattern: [UInt8]
  /// How many bytes the pattern starts with that match only themselves (before any `*`, `?`,
  /// `[` or backslash).
  private let literalCount: Int
  /// Whether the pattern is at most 16 such bytes then `*` (one or more), as
  /// `--exclude-match 'tmp:*'` is: a prefix test against ``prefix``, with no general match.
  private let isShortPrefix: Bool
  /// Those bytes, zero-padded, held inline: a test per key then reads no array.
  private let prefix: (UInt64, UInt64)

  /// Compiles `pattern` (its UTF-8 bytes).
  public init(_ pattern: String) {
    let bytes = Array(pattern.utf8)
    self.pattern = bytes
    let literalCount = bytes.firstIndex { Self.isSpecial($0) } ?? bytes.count
    self.literalCount = literalCount
    isShortPrefix =
      literalCount <= 16 && literalCount < bytes.count
      && bytes[literalCount...].allSatisfy { $0 == UInt8(ascii: "*") }
    var prefix: (UInt64, UInt64) = (0, 0)
    unsafe withUnsafeMutableBytes(of: &prefix) { room in
      unsafe room.copyBytes(from: bytes.prefix(min(literalCount, 16)))
    }
    self.prefix = prefix
  }

  /// The pattern as a ``GlobPrefix``, when it is a short prefix (``isShortPrefix``).
  var shortPrefix: GlobPrefix? {
    guard isShortPrefix else { return nil }
    var masks: (UInt64, UInt64) = (0, 0)
    unsafe withUnsafeMutableBytes(of: &masks) { room in
      for index in 0..<literalCount { unsafe room[index] = 0xFF }
    }
    return GlobPrefix(words: prefix, masks: masks, count: literalCount)
  }

  public static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool {
    lhs.pattern == rhs.pattern
  }

  private static func isSpecial(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[")
      || byte == UInt8(ascii: "\\")
  }

  /// Whether `key` matches.
  public func matches(_ key: RawSpan) -> Bool {
    unsafe key.withUnsafeBytes { unsafe matches(unsafeBytes: $0) }
  }

  /// Whether the name in `key` matches.
  @inline(__always)
  @unsafe func matches(unsafeBytes key: UnsafeRawBufferPointer) -> Bool {
    if isShortPrefix {
      guard key.count >= literalCount else { return false }
      return unsafe withUnsafeBytes(of: prefix) { prefix in
        unsafe UnsafeRawBufferPointer(rebasing: key[..<literalCount]).holdsSameBytes(
          as: UnsafeRawBufferPointer(rebasing: prefix[..<literalCount]))
      }
    }
    return unsafe pattern.withUnsafeBufferPointer { pattern in
      unsafe Self.match(pattern[...], key[...])
    }
  }

  /// Whether `key` matches.
  public func matches(_ key: [UInt8]) -> Bool {
    unsafe key.withUnsafeBytes { unsafe matches(RawSpan(_unsafeBytes: $0)) }
  }

  private static func match(
    _ pattern: Slice<UnsafeBufferPointer<UInt8>>, _ string: Slice<UnsafeRawBufferPointer>
  ) -> Bool {
    var p = unsafe pattern.startIndex
    var s = unsafe string.startIndex
    // Backtracking point for the last '*': where the pattern resumes and the string position.
    var star: (pattern: Int, string: Int)? = nil
    while unsafe s < string.endIndex {
      if unsafe p < pattern.endIndex {
        let token = unsafe pattern[p]
        if token == UInt8(ascii: "*") {
          while unsafe p < pattern.endIndex, unsafe pattern[p] == UInt8(ascii: "*") { p += 1 }
          if unsafe p == pattern.endIndex { return true }
          star = (p, s)
          continue
        }
        if let next = unsafe matchOne(pattern, at: p, unsafe string[s]) {
          p = next
          s += 1
          continue
        }
      }
      guard let backtrack = star else { return false }
      // Let the last '*' take one more byte and try again.
      p = backtrack.pattern
      s = backtrack.string + 1
      star = (backtrack.pattern, s)
    }
    while unsafe p < pattern.endIndex, unsafe pattern[p] == UInt8(ascii: "*") { p += 1 }
    return unsafe p == pattern.endIndex
  }

  /// Matches one byte against the token at `p` (not `*`); returns the next token's index.
  private static func matchOne(
    _ pattern: Slice<UnsafeBufferPointer<UInt8>>, at start: Int, _ byte: UInt8
  ) -> Int? {
    var p = start
    switch unsafe pattern[p] {
    case UInt8(ascii: "?"):
      return p + 1
    case UInt8(ascii: "\\") where unsafe p + 1 < pattern.endIndex:
      return unsafe pattern[p + 1] == byte ? p + 2 : nil
    case UInt8(ascii: "["):
      p += 1
      let negate = unsafe p < pattern.endIndex && pattern[p] == UInt8(ascii: "^")
      if negate { p += 1 }
      var matched = false
      while unsafe p < pattern.endIndex, unsafe pattern[p] != UInt8(ascii: "]") {
        let current = unsafe pattern[p]
        if current == UInt8(ascii: "\\"), unsafe p + 1 < pattern.endIndex {
          p += 1
          if unsafe pattern[p] == byte { matched = true }
        } else if unsafe p + 2 < pattern.endIndex, unsafe pattern[p + 1] == UInt8(ascii: "-") {
          var low = current
          var high = unsafe pattern[p + 2]
          if low > high { swap(&low, &high) }
          if byte >= low, byte <= high { matched = true }
          p += 2
        } else if current == byte {
          matched = true
        }
        p += 1
      }
      // An unterminated class ends at the pattern's end, as in Redis.
      if unsafe p < pattern.endIndex { p += 1 }
      return matched != negate ? p : nil
    default:
      return unsafe pattern[p] == byte ? p + 1 : nil
    }
  }
}

/// A glob of at most 16 literal bytes then `*` (``GlobPattern/shortPrefix``), tested as two
/// masked 8-byte words against the first 16 bytes from a name's start, which must be
/// readable whatever the name's length: no loop over the bytes and no branch per byte.
struct GlobPrefix {
  /// The literal bytes, zero-padded to 16, as they lie in memory.
  let words: (UInt64, UInt64)
  /// All ones over the literal bytes.
  let masks: (UInt64, UInt64)
  /// How many literal bytes there are.
  let count: Int

  /// The prefix every name has (as `*` matches).
  static let everything = GlobPrefix(words: (0, 0), masks: (0, 0), count: 0)
  /// A prefix no name has.
  static let nothing = GlobPrefix(words: (0, 0), masks: (0, 0), count: .max)

  /// Whether every name has the prefix (``everything``, or a glob of `*` alone).
  var isEverything: Bool { count == 0 }

  /// Whether no name has the prefix (``nothing``).
  var isNothing: Bool { count == .max }

  /// Whether the `count` bytes at `name` start with the prefix, reading 16 bytes from `name`.
  /// The first word is tested on its own: most names that differ from a prefix differ there,
  /// and are then judged without the second word.
  @inline(__always)
  @unsafe func matches(_ name: UnsafeRawPointer, count: Int) -> Bool {
    guard unsafe name.loadUnaligned(as: UInt64.self) & masks.0 == words.0 else { return false }
    let second = unsafe name.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & masks.1
    return second == words.1 && count >= self.count
  }
}
