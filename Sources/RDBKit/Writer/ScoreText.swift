/// Sorted-set scores as text, where the format stores them as strings: in listpacks and
/// ziplists (as Redis's `d2string` writes them there) and in type-3 sorted sets.
enum ScoreText {
  /// The largest magnitude below which every integral double is written as an integer.
  private static let exactIntegers: Double = 9_007_199_254_740_992  // 2^53

  /// The score as an integer when its text is one (integral, below 2^53, not -0): packed
  /// encodings then store the integer form, with no text in between.
  static func integer(of score: Double) -> Int64? {
    guard score.rounded(.towardZero) == score, abs(score) < exactIntegers,
      score != 0 || score.sign == .plus
    else { return nil }
    return Int64(score)
  }

  /// `inf`, `-inf`, an integral score as a decimal integer (`-0` for negative zero), anything
  /// else in the shortest form that reads back as the same double.
  static func text(of score: Double) -> String {
    if score.isInfinite { return score > 0 ? "inf" : "-inf" }
    if score == 0 { return score.sign == .minus ? "-0" : "0" }
    if let integer = integer(of: score) { return String(integer) }
    return score.description
  }

  /// Appends the text of a score that is not an integer (``integer(of:)`` is nil) to
  /// `bytes`: the same text as ``text(of:)``, without building a String.
  static func appendNonInteger(_ score: Double, to bytes: BlobBytes) {
    if score.isInfinite {
      bytes.append(score > 0 ? "inf" : "-inf")
    } else if score == 0 {
      bytes.append(score.sign == .minus ? "-0" : "0")
    } else {
      var sink = Sink(bytes: bytes)
      // The standard library writes a double's shortest form as ASCII, the same text as its
      // description, through `_writeASCII` when the stream has it.
      score.write(to: &sink)
    }
  }

  /// A text stream into a blob.
  private struct Sink: TextOutputStream {
    let bytes: BlobBytes

    mutating func write(_ string: String) {
      bytes.append(string)
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
      unsafe bytes.append(UnsafeRawBufferPointer(buffer))
    }
  }
}
