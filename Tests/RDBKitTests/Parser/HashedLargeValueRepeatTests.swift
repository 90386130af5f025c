import RDBKit
import Testing

/// A sequential parse with ``RDBParser/hashesLargeValues`` (a rewrite's read-back) checks a
/// hash table or skip list of ``RDBParser/hashedValueElements`` elements or more by its
/// elements' hashes from the first one: a repeat is still refused, anywhere in the value, and
/// distinct elements still parse; a smaller value is checked exactly, its repeat named where
/// it is.
@Suite struct HashedLargeValueRepeatTests {
  typealias Shape = HashTableRepeatTests.Shape

  /// The keys a hashing parse of `bytes` counts, read in small chunks as a growing file is.
  static func hashedParse(_ bytes: [UInt8]) throws(RDBError) -> Int {
    var parser = RDBParser()
    parser.hashesLargeValues = true
    var count = KeyCountAnalyzer()
    try parser.parse(
      input: ChunkedInput(bytes, seed: 3), leavingStringsToChecksum: true,
      leavingPackedValuesToChecksum: true, into: &count)
    return count.total.keys
  }

  /// The error a hashing parse of `bytes` ends with, if any.
  static func hashedError(_ bytes: [UInt8]) -> RDBError? {
    do throws(RDBError) {
      _ = try hashedParse(bytes)
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: Shape.allCases)
  func largeValueRepeatIsRefused(_ shape: Shape) throws {
    let count = RDBParser.hashedValueElements + 44
    let members = HashTableRepeatTests.distinct(count)
    #expect(try Self.hashedParse(shape.image(members).bytes) == 1)
    // The first member again, last; and a member in the middle again, right after it.
    for repeated in [members + [members[0]], members[..<150] + [members[149]] + members[150...]] {
      let error = try #require(Self.hashedError(shape.image(Array(repeated)).bytes))
      guard case .corruptStructure = error.kind else {
        Issue.record("expected a repeat, got \(error)")
        continue
      }
      #expect("\(error)".contains("appears twice"), "\(error)")
    }
  }

  @Test(arguments: Shape.allCases)
  func smallValueRepeatIsNamedWhereItIs(_ shape: Shape) throws {
    let members = HashTableRepeatTests.distinct(RDBParser.hashedValueElements - 2)
    #expect(try Self.hashedParse(shape.image(members).bytes) == 1)
    let image = shape.image(members + [members[7]])
    let error = try #require(Self.hashedError(image.bytes))
    #expect(error.offset == image.offsets.last, "\(error)")
  }
}
