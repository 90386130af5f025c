extension MemoryModel {
  /// The costs of hash-table and skiplist elements of short lengths, priced once per model and
  /// then looked up per element.
  ///
  /// An element's cost depends only on the model and its length (and, for a hash field, on
  /// whether it has a TTL), so a table of the lengths most elements have gives the figures
  /// ``setMemberCost(_:)``, ``hashEntryCost(fieldLength:valueLength:hasTTL:)`` and
  /// ``skiplistMemberCost(_:nodeCost:)`` give, bit for bit, for a load and a bounds check
  /// instead of the version switches and size-class arithmetic each call goes through. Longer
  /// elements, hash fields with a TTL, and the hash entries of versions that embed a field and
  /// its value in one allocation are priced by the model as before.
  ///
  ///     let costs = MemoryModel.ElementCosts(MemoryModel(version: .redis70))
  ///     costs.setMember(5, model: model)  // model.setMemberCost(5)
  struct ElementCosts: Sendable {
    /// Elements shorter than this are looked up.
    static let lengths = 128

    private var setMembers: [Int] = []
    /// ``hashFieldCost(_:hasTTL:)`` without a TTL, and ``stringCost(_:)`` for values; empty
    /// when the model prices a field and its value together (``embedsElements``).
    private var hashFields: [Int] = []
    private var hashValues: [Int] = []
    private var skiplistMembers: [Double] = []

    /// The table of `model`.
    init(_ model: MemoryModel) {
      let nodeCost = model.expectedSkiplistNodeCost
      for length in 0..<Self.lengths {
        setMembers.append(model.setMemberCost(length))
        skiplistMembers.append(model.skiplistMemberCost(length, nodeCost: nodeCost))
        if !model.embedsElements {
          hashFields.append(model.hashFieldCost(length, hasTTL: false))
          hashValues.append(model.stringCost(length))
        }
      }
    }

    /// ``MemoryModel/setMemberCost(_:)`` of `model`, the model this table was made for.
    @inline(__always)
    func setMember(_ length: Int, model: MemoryModel) -> Int {
      length < Self.lengths ? setMembers[length] : Self.setMember(length, model: model)
    }

    /// ``MemoryModel/hashEntryCost(fieldLength:valueLength:hasTTL:)`` of `model`: for the
    /// versions that keep a field and its value apart, the field's string, the value's and
    /// the 24-byte dict entry.
    @inline(__always)
    func hashEntry(fieldLength: Int, valueLength: Int, hasTTL: Bool, model: MemoryModel) -> Int {
      if !hasTTL, fieldLength < hashFields.count, valueLength < hashValues.count {
        return hashFields[fieldLength] + hashValues[valueLength] + 24
      }
      return Self.hashEntry(
        fieldLength: fieldLength, valueLength: valueLength, hasTTL: hasTTL, model: model)
    }

    /// ``MemoryModel/skiplistMemberCost(_:nodeCost:)`` of `model` with its
    /// ``MemoryModel/expectedSkiplistNodeCost``.
    @inline(__always)
    func skiplistMember(_ length: Int, model: MemoryModel, nodeCost: Double) -> Double {
      length < Self.lengths
        ? skiplistMembers[length] : Self.skiplistMember(length, model: model, nodeCost: nodeCost)
    }

    // The model's own pricing, out of line so that the lookups above stay small where they
    // are inlined (per element).

    @inline(never)
    private static func setMember(_ length: Int, model: MemoryModel) -> Int {
      model.setMemberCost(length)
    }

    @inline(never)
    private static func hashEntry(
      fieldLength: Int, valueLength: Int, hasTTL: Bool, model: MemoryModel
    ) -> Int {
      model.hashEntryCost(fieldLength: fieldLength, valueLength: valueLength, hasTTL: hasTTL)
    }

    @inline(never)
    private static func skiplistMember(_ length: Int, model: MemoryModel, nodeCost: Double)
      -> Double
    {
      model.skiplistMemberCost(length, nodeCost: nodeCost)
    }
  }
}
