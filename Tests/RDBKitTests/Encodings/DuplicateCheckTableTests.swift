import Testing

@testable import RDBKit

/// The duplicate check's table on its own: past 65,535 entries its slots give entry numbers
/// more bits and tags fewer, and every element is still found again.
@Suite struct DuplicateCheckTableTests {
  @Test func entriesPastSixteenBitNumbers() {
    let count = 200_000
    var text: [UInt8] = []
    var ranges: [Range<Int>] = []
    for index in 0..<count {
      let start = text.count
      text += "element:\(index)".utf8
      ranges.append(start..<text.count)
    }
    var check = DuplicateCheck()
    defer { check.release() }
    unsafe text.withUnsafeBytes { bytes in
      var fresh = 0
      var again = 0
      for range in ranges {
        if unsafe check.insert(UnsafeRawBufferPointer(rebasing: bytes[range])) { fresh += 1 }
      }
      for range in ranges.reversed() {
        if unsafe !check.insert(UnsafeRawBufferPointer(rebasing: bytes[range])) { again += 1 }
      }
      #expect(fresh == count)
      #expect(again == count)
      check.reset()
      #expect(unsafe check.insert(UnsafeRawBufferPointer(rebasing: bytes[ranges[7]])))
      #expect(unsafe !check.insert(UnsafeRawBufferPointer(rebasing: bytes[ranges[7]])))
    }
  }
}
