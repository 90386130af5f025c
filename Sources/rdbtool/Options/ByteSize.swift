import ArgumentParser
import Foundation

/// Sizes as every rdbtool option takes them and as every report prints them.
///
/// Options take a number of bytes with an optional unit, in any letter case: `B`; `KB`, `MB`,
/// `GB`, `TB` are powers of 1000; `KiB`, `MiB`, `GiB`, `TiB` and the bare `K`, `M`, `G`, `T`
/// are powers of 1024 (as `dd` and `sort -S` read them). A fraction is allowed: `1.5GiB`.
/// Reports print binary units only (`512 B`, `1.5 KiB`, `8 MiB`), so a size printed by one
/// command can be given back to another as it is.
enum ByteSize {
  private static let units: [(suffix: String, factor: Double)] = [
    ("KIB", 0x1p10), ("MIB", 0x1p20), ("GIB", 0x1p30), ("TIB", 0x1p40),
    ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
    ("K", 0x1p10), ("M", 0x1p20), ("G", 0x1p30), ("T", 0x1p40), ("B", 1),
  ]

  /// The number of bytes `text` names.
  /// - Throws: `ValidationError` naming the accepted forms (a usage error, exit 2).
  static func parse(_ text: String) throws -> Int {
    let upper = text.uppercased()
    let unit = units.first { upper.hasSuffix($0.suffix) } ?? ("", 1)
    let number = upper.dropLast(unit.suffix.count)
    guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
      let value = Double(number), (value * unit.factor).rounded() < 0x1p62
    else {
      throw ValidationError(
        "'\(text)' is not a size: give bytes, or a number with B, KB/MB/GB (1000) or "
          + "KiB/MiB/GiB (1024)")
    }
    return Int((value * unit.factor).rounded())
  }

  /// `512 B`, `1.5 KiB`, `8 MiB`, `12.3 GiB`: binary units, one decimal when it is not 0.
  static func text(_ count: Int) -> String {
    let names = ["KiB", "MiB", "GiB", "TiB", "PiB"]
    guard count >= 1024 else { return "\(count) B" }
    var value = Double(count)
    var unit = -1
    while value >= 1024, unit < names.count - 1 {
      value /= 1024
      unit += 1
    }
    let tenths = (value * 10).rounded()
    let number =
      tenths.truncatingRemainder(dividingBy: 10) == 0
      ? String(Int(tenths / 10)) : String(format: "%.1f", tenths / 10)
    return "\(number) \(names[unit])"
  }
}
