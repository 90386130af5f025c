import Testing

@testable import RDBKit

/// ``IntsetEncoder`` against the test suite's own intset builder (byte for byte) and against
/// the parser's intset decoder (type 11): the narrowest width that holds every member, members
/// in ascending order.
@Suite struct IntsetEncoderTests {
  /// Members (in no order) and the width Redis's `_intsetValueEncoding` gives the set.
  static let cases: [([Int64], Int)] = [
    ([3, 1, 2], 2), ([-32768, 32767, 0], 2), ([32768], 4), ([-32769, 5], 4),
    ([2_147_483_647, -2_147_483_648], 4), ([2_147_483_648], 8), ([-2_147_483_649, 1], 8),
    ([.max, .min, 0, -1], 8),
  ]

  @Test(arguments: cases)
  func widthAndOrder(_ members: [Int64], _ width: Int) {
    var input = members
    let blob = IntsetEncoder.encode(&input)
    let sorted = members.sorted()
    #expect(input == sorted)
    #expect(blob == intset(width: width, sorted))
    var image = RDBImageBuilder(version: 9)
    image.key(type: 11, "k")
    image.string(blob)
    let keys = expectKeys(image.finished())
    #expect(keys.first?.elements == sorted.map { hexText(String($0)) })
    #expect(keys.first?.encoding == "intset")
  }
}
