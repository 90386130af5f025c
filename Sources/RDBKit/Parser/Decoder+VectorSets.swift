/// Vector sets: Redis 8's built-in module type `vectorset` (encoding version 0), stored as a
/// type-7 module value whose items are all UINT (opcode 2) or STRING (opcode 5):
///
///     dim, count, quantization | M << 8, flags (1: projection, 2: attributes)
///     [flags & 1: input dim, projection matrix (dim × input dim float32)]
///     count × (name, [flags & 2: attributes], vector, p, p HNSW node parameters)
///     module EOF 0
///
/// The node parameters are the node id, version << 24 | level, per layer 0…level the link
/// count, the link limit, the linked ids and (version 1) the worst link, then the vector's
/// l2 norm (low 32 bits) and int8 range (high 32 bits) as float bits. Everything is checked
/// against the count that frames it, so a hostile value ends in an error, never a trap.
extension Decoder {
  /// The module id of `vectorset`, encoding version 0 (`81 BD E7 2D A2 BB 1E B4 00`).
  static let vectorSetModuleID: UInt64 = 0xBDE7_2DA2_BB1E_B400
  /// The largest dimension Redis 8.6 accepts, and the largest HNSW link limit.
  static let maximumVectorDimension: UInt64 = 65_536
  static let maximumLinks: UInt64 = 16_384

  /// Decodes a vector set after its module id.
  mutating func readVectorSet<H: RDBHandler>(into handler: inout H) throws(RDBError) {
    let start = source.offset
    let dimension = try readModuleUnsigned()
    let count = try readModuleUnsigned()
    let config = try readModuleUnsigned()
    let flags = try readModuleUnsigned()
    guard (1...Self.maximumVectorDimension).contains(dimension) else {
      throw Self.corruptVectorSet("dimension \(dimension) is out of range", start)
    }
    let quantization: VectorSetInfo.Quantization
    switch config & 0xFF {
    case 0: quantization = .f32
    case 1: quantization = .int8
    case 2: quantization = .binary
    case let other: throw Self.corruptVectorSet("unknown quantization \(other)", start)
    }
    guard flags <= 3 else { throw Self.corruptVectorSet("unknown flags \(flags)", start) }
    let m = Int((config >> 8) & 0xFFFF)
    var inputDimension: Int? = nil
    if flags & 1 != 0 {
      let projectionStart = source.offset
      let input = try readModuleUnsigned()
      guard (dimension...Self.maximumVectorDimension).contains(input) else {
        throw Self.corruptVectorSet("projection input dimension \(input) is out of range", start)
      }
      let matrix = unsafe try readModuleString(into: .blob)
      guard UInt64(matrix.count) == dimension * input * 4 else {
        throw Self.corruptVectorSet(
          "projection matrix is \(matrix.count) bytes, not \(dimension) × \(input) floats",
          projectionStart)
      }
      inputDimension = Int(input)
    }
    let info = VectorSetInfo(
      dimension: Int(dimension), count: count, quantization: quantization,
      hnswM: m == 0 ? 16 : m, projectionInputDimension: inputDimension,
      hasAttributes: flags & 2 != 0)
    try handler.beginVectorSet(info)
    for _ in 0..<count {
      try readVectorSetElement(info, into: &handler)
    }
    let end = source.offset
    guard try readLength() == 0 else {
      throw Self.corruptVectorSet("items follow the last element", end)
    }
  }

  private mutating func readVectorSetElement<H: RDBHandler>(
    _ set: VectorSetInfo, into handler: inout H
  ) throws(RDBError) {
    let start = source.offset
    let name = unsafe try readModuleString(into: .first)
    let attributes =
      set.hasAttributes
      ? unsafe try readModuleString(into: .blob)
      : unsafe UnsafeRawBufferPointer(start: nil, count: 0)
    let vectorStart = source.offset
    let vector = unsafe try readModuleString(into: .second)
    guard vector.count == set.vectorByteCount else {
      throw Self.corruptVectorSet(
        "vector is \(vector.count) bytes, not \(set.vectorByteCount)", vectorStart)
    }
    let info = try readNodeParameters(set, element: start)
    try unsafe handler.vectorSetElement(
      RawSpan(_unsafeBytes: name), vector: RawSpan(_unsafeBytes: vector),
      attributes: RawSpan(_unsafeBytes: attributes), info: info)
  }

  /// Reads an element's HNSW node parameters: checks their structure against their count and
  /// keeps the node id, level, l2 norm and range.
  private mutating func readNodeParameters(_ set: VectorSetInfo, element: Int)
    throws(RDBError) -> VectorSetElementInfo
  {
    let start = source.offset
    var left = try readModuleUnsigned()
    let nodeID = try nextParameter(&left, start)
    let header = try nextParameter(&left, start)
    let nodeVersion = header >> 24
    let level = Int(header & 0xFF)
    guard nodeVersion <= 1 else {
      throw Self.corruptVectorSet("node serialization version \(nodeVersion) is unknown", start)
    }
    var linkLimit: UInt64 = 0
    for layer in 0...level {
      let links = try nextParameter(&left, start)
      let limit = try nextParameter(&left, start)
      if layer == 0 { linkLimit = limit }
      guard links <= limit, limit <= Self.maximumLinks else {
        throw Self.corruptVectorSet("\(links) links with a limit of \(limit)", start)
      }
      for _ in 0..<links { _ = try nextParameter(&left, start) }
      if nodeVersion >= 1 {
        let worst = try nextParameter(&left, start)
        guard links == 0 || worst & 0xFFFF_FFFF < links else {
          throw Self.corruptVectorSet("worst link index is past \(links) links", start)
        }
      }
    }
    let scale = try nextParameter(&left, start)
    guard left == 0 else {
      throw Self.corruptVectorSet("\(left) node parameters more than its layers need", start)
    }
    return VectorSetElementInfo(
      l2: Float(bitPattern: UInt32(truncatingIfNeeded: scale)),
      range: set.quantization == .int8
        ? Float(bitPattern: UInt32(truncatingIfNeeded: scale >> 32)) : nil,
      nodeID: nodeID, level: level, linkLimit: Int(linkLimit))
  }

  private mutating func nextParameter(_ left: inout UInt64, _ start: Int) throws(RDBError)
    -> UInt64
  {
    guard left > 0 else { throw Self.corruptVectorSet("node parameters end early", start) }
    left -= 1
    return try readModuleUnsigned()
  }

  /// Reads a module UINT item (opcode 2, then a length).
  mutating func readModuleUnsigned() throws(RDBError) -> UInt64 {
    let start = source.offset
    let opcode = try readLength()
    guard opcode == 2 else {
      throw Self.corruptVectorSet("expected an unsigned item (opcode 2), found \(opcode)", start)
    }
    return try readLength()
  }

  /// Reads a module STRING item (opcode 5, then an RDB string); the result stays valid while
  /// more is read.
  mutating func readModuleString(into slot: ScratchSlot) throws(RDBError)
    -> UnsafeRawBufferPointer
  {
    let start = source.offset
    let opcode = try readLength()
    guard opcode == 5 else {
      throw Self.corruptVectorSet("expected a string item (opcode 5), found \(opcode)", start)
    }
    return unsafe try readString(into: slot, persistent: true)
  }

  static func corruptVectorSet(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "vector set", reason: reason), at: origin)
  }
}
