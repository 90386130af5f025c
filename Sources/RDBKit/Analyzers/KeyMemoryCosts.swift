/// What a key's name costs in the keyspace (``MemoryModel/keyCost(_:)``) for the name lengths
/// most keys have, priced once per model and then looked up per key, with the model's
/// ``MemoryModel/embedsKeyInObject`` judged once.
///
/// A key's cost depends only on the model and its length, so the table gives the figure
/// ``MemoryModel/keyCost(_:)`` gives, bit for bit, for a load and a bounds check instead of
/// the version switch and size-class arithmetic of each call; longer names are priced by the
/// model as before.
///
///     let costs = KeyMemoryCosts(MemoryModel(version: .redis70))
///     costs.key(12, model: model)  // model.keyCost(12)
struct KeyMemoryCosts: Sendable {
  /// Names shorter than this are looked up.
  static let lengths = 128

  private let keys: [Int]
  /// ``MemoryModel/embedsKeyInObject`` of the model.
  let embedsKeyInObject: Bool

  /// The table of `model`.
  init(_ model: MemoryModel) {
    keys = (0..<Self.lengths).map { model.keyCost($0) }
    embedsKeyInObject = model.embedsKeyInObject
  }

  /// ``MemoryModel/keyCost(_:)`` of `model`, the model this table was made for.
  @inline(__always)
  func key(_ length: Int, model: MemoryModel) -> Int {
    length < Self.lengths ? keys[length] : model.keyCost(length)
  }
}
