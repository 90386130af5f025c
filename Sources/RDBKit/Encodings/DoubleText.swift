#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores written as text: zset type 3 (`%.17g` and friends) and ziplist/listpack members.
enum DoubleText {
  /// Parses `bytes` completely as a C `strtod` number (`inf`, `-inf`, `1e+300`, `5e-324` …).
  ///
  /// - Returns: nil when any byte is left over, the text is empty or longer than 255 bytes.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
    guard unsafe !bytes.isEmpty, bytes.count < 256 else { return nil }
    // strtod needs a terminated string; 256 bytes of stack hold any valid score.
    var text:
      (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
      ) =
        (
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0
        )
    return unsafe withUnsafeMutableBytes(of: &text) { buffer -> Double? in
      unsafe buffer.copyMemory(from: bytes)
      unsafe buffer[bytes.count] = 0
      guard let start = unsafe buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else {
        return nil
      }
      // Leading spaces are accepted by strtod but never written by a server.
      guard unsafe start.pointee != CChar(UInt8(ascii: " ")) else { return nil }
      var end: UnsafeMutablePointer<CChar>? = nil
      let value = unsafe strtod(start, &end)
      guard let end = unsafe end, unsafe end == start + bytes.count else { return nil }
      return value
    }
  }
}
