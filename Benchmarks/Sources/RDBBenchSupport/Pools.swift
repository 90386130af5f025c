/// 4 MiB of random bytes and 4 MiB of word-like text to slice values from.
final class Pools: Sendable {
  static let shared = Pools()
  static let size = 4 << 20
  let randomPool: [UInt8]
  let textPool: [UInt8]

  private init() {
    var random = SplitMix(seed: 7)
    var bytes = [UInt8](repeating: 0, count: Self.size)
    for index in stride(from: 0, to: Self.size, by: 8) {
      let word = random.next()
      for offset in 0..<8 { bytes[index + offset] = UInt8((word >> UInt64(8 * offset)) & 0xFF) }
    }
    randomPool = bytes
    let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    let words: [[UInt8]] = (0..<400).map { _ in
      (0..<(2 + Int(random.next() % 8))).map { _ in letters[Int(random.next() % 26)] }
    }
    var text: [UInt8] = []
    text.reserveCapacity(Self.size + 16)
    while text.count < Self.size {
      text += words[Int(random.next() % 400)]
      text.append(random.next() % 12 == 0 ? UInt8(ascii: ".") : UInt8(ascii: " "))
    }
    textPool = Array(text[0..<Self.size])
  }

  func random(_ length: Int, _ generator: inout SplitMix) -> [UInt8] {
    let start = Int(generator.next() % UInt64(Self.size - length))
    return Array(randomPool[start..<start + length])
  }

  func text(_ length: Int, _ generator: inout SplitMix) -> [UInt8] {
    let start = Int(generator.next() % UInt64(Self.size - length))
    return Array(textPool[start..<start + length])
  }

  /// A short member or field value: an integer, a word run, or random bytes (4–24 B).
  func member(_ generator: inout SplitMix) -> [UInt8] {
    let kind = generator.next() % 10
    if kind < 3 { return Array(String(generator.next() % 1_000_000_000).utf8) }
    let length = 4 + Int(generator.next() % 21)
    return kind < 7 ? text(length, &generator) : random(length, &generator)
  }
}
