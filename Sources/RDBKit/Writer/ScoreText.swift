/// Sorted-set scores as text, where the format stores them as strings: in listpacks and
/// ziplists (as Redis's `d2string` writes them there) and in type-3 sorted sets.
enum ScoreText {
  /// The largest magnitude below which every integral double is written as an integer.
  private static let exactIntegers: Double = 9_007_199_254_740_992  // 2^53

  /// `inf`, `-inf`, an integral score as a decimal integer (`-0` for negative zero), anything
  /// else in the shortest form that reads back as the same double.
  static func text(of score: Double) -> String {
    if score.isInfinite { return score > 0 ? "inf" : "-inf" }
    if score == 0 { return score.sign == .minus ? "-0" : "0" }
    if score.rounded(.towardZero) == score, abs(score) < exactIntegers {
      return String(Int64(score))
    }
    return score.description
  }
}
