import Testing

@testable import RDBKit

/// ``LZFCompressor`` produces what liblzf 3.6's `lzf_compress` produces when its hash table
/// starts empty (the expected bytes below came from liblzf run on a thread whose stack was
/// zeroed), gives up where liblzf gives up, depends on its input alone (not on what it
/// compressed before), and its output decompresses to the input.
@Suite struct LZFCompressorTests {
  static func compress(_ compressor: LZFCompressor, _ input: [UInt8]) -> [UInt8]? {
    unsafe input.withUnsafeBytes { unsafe compressor.compress($0).map { unsafe Array($0) } }
  }

  static func hex(_ bytes: [UInt8]?) -> String {
    guard let bytes else { return "nil" }
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }

  static let text = utf8((0..<40).map { "field:\($0 % 7) value:\($0 &* 37 % 11);" }.joined())
  static let run = [UInt8](repeating: 0x61, count: 300)
  static let noise = (0..<200).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
  /// `n` bytes ending in a match that reaches the end, for n = 21…30.
  static func short(_ count: Int) -> [UInt8] {
    Array(utf8(String(repeating: "xyz", count: 11)).prefix(count - 2)) + utf8("12")
  }

  @Test func matchesLiblzfWithAnEmptyTable() {
    let compressor = LZFCompressor()
    #expect(
      Self.hex(Self.compress(compressor, Self.text))
        == "106669656c643a302076616c75653a303b66600f0031a00f0034a00f0032a00f0038a00f0033a00f00"
        + "31a00f0034a00f0035a00f0035a00f0039a00f0036a00f0032a00fc06f0036a00fc06f0031c080c07000"
        + "33a020c0700037a00fc070c02fc070c0b0c070c0b0c070c0b0c070c0b0c06fc0b0c06fc0b0c06fc0b0c0"
        + "6fe000b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c06fc0b0c06fc0b0c06f"
        + "c0b0c06fe000b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c070c0b0c06fc0b0c06f01"
        + "323b")
    #expect(Self.hex(Self.compress(compressor, Self.run)) == "016161e0ff00e01700016161")
    #expect(Self.compress(compressor, Self.noise) == nil)
    for count in 21...30 {
      let extra = String(UInt8(count - 15), radix: 16)
      #expect(
        Self.hex(Self.compress(compressor, Self.short(count)))
          == "0378797a78e00\(extra)02013132", "\(count) bytes")
    }
  }

  /// The same input gives the same bytes after other inputs, and from a new compressor.
  @Test func outputDependsOnTheInputAlone() {
    let compressor = LZFCompressor()
    let first = Self.compress(compressor, Self.text)
    _ = Self.compress(compressor, Self.run)
    _ = Self.compress(compressor, Self.text + Self.text)
    #expect(Self.compress(compressor, Self.text) == first)
    #expect(Self.compress(LZFCompressor(), Self.text) == first)
  }

  /// Random inputs of many sizes and kinds decompress to themselves; a result is at least 4
  /// bytes shorter than its input; nothing of 4 bytes or fewer is compressed.
  @Test func outputDecompressesToTheInput() throws {
    var random = SplitMix64(seed: 7)
    let compressor = LZFCompressor()
    var compressed = 0
    for trial in 0..<600 {
      let count = [3, 4, 5, 21, 22, 40, 64, 100, 300, 1000, 5000, 20000][trial % 12]
      let alphabet = UInt8(truncatingIfNeeded: [2, 14, 255][trial % 3])
      var input = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next() % UInt64(alphabet))
      }
      // Repeats at short and long distances, some beyond the 8 KiB window.
      for index in input.indices.dropFirst(5) where random.next() % 3 == 0 {
        let distance = 1 + Int(random.next() % UInt64(min(index - 1, [4, 60, 9000][trial % 3])))
        input[index] = input[index - distance]
      }
      guard let output = Self.compress(compressor, input) else { continue }
      compressed += 1
      #expect(count > 4 && output.count <= count - 4)
      var restored = [UInt8](repeating: 0, count: count)
      let problem = unsafe output.withUnsafeBytes { source in
        unsafe restored.withUnsafeMutableBytes { unsafe LZF.decompress(source, into: $0) }
      }
      #expect(problem == nil)
      #expect(restored == input, "trial \(trial)")
    }
    #expect(compressed > 100)
  }
}
