/// Module items as bytes, for building module values, MODULE_AUX records and KEY_META
/// classes in test images.
enum ModuleImage {
  /// The id of `vectorset`, encoding version 0, as its 9-byte length.
  static let vectorSetID: [UInt8] = [0x81, 0xBD, 0xE7, 0x2D, 0xA2, 0xBB, 0x1E, 0xB4, 0x00]
  /// The id of `ReJSON-RL`, encoding version 3.
  static let jsonID: [UInt8] = [0x81, 0x45, 0xE2, 0x52, 0x38, 0xDF, 0x91, 0x2C, 0x03]

  /// A UINT item.
  static func unsigned(_ value: UInt64) -> [UInt8] { [2] + RDBImageBuilder.length(value) }
  /// A STRING item holding `bytes` raw.
  static func string(_ bytes: [UInt8]) -> [UInt8] {
    [5] + RDBImageBuilder.length(UInt64(bytes.count)) + bytes
  }
  static func string(_ text: String) -> [UInt8] { string(Array(text.utf8)) }

  /// The element `e2` of the fixtures' `expire:vset` (int8, dim 2, level 0, links 1 and 2).
  static let vectorSetElement: [UInt8] =
    string("e2") + string([0xD6, 0x81]) + unsigned(8) + unsigned(3) + unsigned(0x0100_0000)
    + unsigned(2) + unsigned(32) + unsigned(1) + unsigned(2) + unsigned(0x3FED_5AAC_0000_0001)
    + unsigned(0x3F72_DCE8_4031_166A)

  /// A vector set value (module id through EOF) with the given header and element bytes.
  static func vectorSet(
    dimension: UInt64 = 2, count: UInt64 = 1, config: UInt64 = 0x1001, flags: UInt64 = 0,
    elements: [UInt8] = vectorSetElement
  ) -> [UInt8] {
    vectorSetID + unsigned(dimension) + unsigned(count) + unsigned(config) + unsigned(flags)
      + elements + [0]
  }
}
