import Foundation
import RDBKit
import Testing

/// Vector sets (module type `vectorset`): decoded from hand-built values, and every malformed
/// part ends in a typed error at its offset.
@Suite struct VectorSetTests {
  static func image(_ value: [UInt8]) -> (bytes: [UInt8], valueOffset: Int) {
    var image = RDBImageBuilder(version: 12)
    image.key(type: 7, "vs")
    let offset = image.offset
    image.raw(value)
    return (image.finished(), offset)
  }

  @Test func decodesTheDocumentedElement() throws {
    let keys = expectKeys(Self.image(ModuleImage.vectorSet()).bytes)
    let set = try #require(keys.first?.vectorSet)
    #expect(keys.first?.type == "vectorset")
    #expect(
      set.info
        == VectorSetInfo(
          dimension: 2, count: 1, quantization: .int8, hnswM: 16, projectionInputDimension: nil,
          hasAttributes: false))
    let element = try #require(set.elements.first)
    #expect(element.nameHex == "6532" && element.vectorHex == "d681")
    #expect(element.l2 == Float(bitPattern: 0x4031_166A))
    #expect(element.range == Float(bitPattern: 0x3F72_DCE8))
    #expect(element.attributesHex == nil)
  }

  @Test func projectionAndAttributes() throws {
    let matrix = [UInt8](repeating: 0, count: 2 * 3 * 4)
    let element =
      ModuleImage.string("e") + ModuleImage.string("{\"a\":1}")
      + Array(ModuleImage.vectorSetElement.dropFirst(4))
    let value =
      ModuleImage.vectorSetID + ModuleImage.unsigned(2) + ModuleImage.unsigned(1)
      + ModuleImage.unsigned(0x0801) + ModuleImage.unsigned(3) + ModuleImage.unsigned(3)
      + ModuleImage.string(matrix) + element + [0]
    let keys = expectKeys(Self.image(value).bytes)
    let set = try #require(keys.first?.vectorSet)
    #expect(set.info.projectionInputDimension == 3 && set.info.hnswM == 8 && set.info.hasAttributes)
    #expect(set.elements.first?.attributesHex == "7b2261223a317d")
  }

  @Test func malformedValuesAreCorrupt() {
    let header = ModuleImage.vectorSetID.count
    let cases: [(String, [UInt8], Int)] = [
      ("dimension 0", ModuleImage.vectorSet(dimension: 0), header),
      ("quantization 3", ModuleImage.vectorSet(config: 0x1003), header),
      ("unknown flags", ModuleImage.vectorSet(flags: 4), header),
      ("vector of 2 bytes for dim 3", ModuleImage.vectorSet(dimension: 3), header + 13),
      (
        "a parameter too many",
        ModuleImage.vectorSet(
          elements: Array(ModuleImage.vectorSetElement.prefix(8)) + ModuleImage.unsigned(9)
            + Array(ModuleImage.vectorSetElement.dropFirst(10)) + ModuleImage.unsigned(0)),
        header + 17
      ),
      (
        "a float where a UINT belongs",
        ModuleImage.vectorSetID + [3, 0, 0, 0, 0] + [0], header
      ),
      (
        "items after the last element",
        ModuleImage.vectorSet(elements: ModuleImage.vectorSetElement + ModuleImage.unsigned(1)), -1
      ),
    ]
    for (name, value, relative) in cases {
      let (bytes, offset) = Self.image(value)
      let expected = relative < 0 ? offset + value.count - 3 : offset + relative
      let outcome = ParseOutcome.mapped(bytes)
      guard let error = outcome.error, case .corruptStructure(let structure, _) = error.kind else {
        Issue.record("\(name): \(outcome)")
        continue
      }
      #expect(structure == "vector set", "\(name)")
      #expect(error.offset == expected, "\(name): \(error)")
      #expect(error.key == "vs", "\(name)")
      expectFailure(bytes, error)
    }
  }

  /// Every truncation of a vector set value ends in a typed error on both paths.
  @Test func truncatedEverywhere() {
    let (bytes, offset) = Self.image(ModuleImage.vectorSet())
    for end in offset..<(bytes.count - 9) {
      let cut = Array(bytes[..<end])
      let mapped = ParseOutcome.mapped(cut)
      #expect(mapped.error != nil, "cut at \(end)")
      let streamed = ParseOutcome.streamed(cut, seed: UInt64(end), maximumChunk: 3)
      #expect(ParseOutcome.agree(mapped: mapped, streamed: streamed), "cut at \(end)")
    }
  }
}
