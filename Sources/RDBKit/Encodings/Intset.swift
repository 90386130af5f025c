/// Walks an intset blob (type 11) after the checks of Redis's `intsetValidateIntegrity`:
/// a width of 2, 4 or 8 bytes, a size that matches exactly, at least one member, strictly
/// ascending members.
@safe struct IntsetReader {
  private let bytes: UnsafeRawBufferPointer
  private let origin: Int
  private let width: Int
  /// The number of members.
  let count: Int
  private var index = 0
  private var previous = Int64.min

  /// Checks the header and size of `bytes`; `origin` is the file offset reported in errors.
  @unsafe init(_ bytes: UnsafeRawBufferPointer, origin: Int) throws(RDBError) {
    unsafe self.bytes = bytes
    self.origin = origin
    guard bytes.count >= 8 else { throw Self.corrupt("\(bytes.count) bytes is too short", origin) }
    width = unsafe Int(bytes.littleEndian(at: 0, as: UInt32.self))
    guard width == 2 || width == 4 || width == 8 else {
      throw Self.corrupt("member width \(width) is not 2, 4 or 8", origin)
    }
    let declared = unsafe UInt64(bytes.littleEndian(at: 4, as: UInt32.self))
    guard declared > 0 else { throw Self.corrupt("no members", origin) }
    guard 8 + declared * UInt64(width) == UInt64(bytes.count) else {
      throw Self.corrupt(
        "\(declared) members of \(width) bytes do not fill \(bytes.count) bytes", origin)
    }
    count = Int(declared)
  }

  private static func corrupt(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "intset", reason: reason), at: origin)
  }

  /// Returns the next member, or nil after the last.
  @inline(__always)
  mutating func next() throws(RDBError) -> Int64? {
    guard index < count else { return nil }
    let offset = 8 &+ index &* width
    let value: Int64
    switch width {
    case 2: value = Int64(unsafe bytes.littleEndian(at: offset, as: Int16.self))
    case 4: value = Int64(unsafe bytes.littleEndian(at: offset, as: Int32.self))
    default: value = unsafe bytes.littleEndian(at: offset, as: Int64.self)
    }
    if index > 0, value <= previous {
      throw Self.corrupt("member \(index) (\(value)) is not greater than the one before", origin)
    }
    previous = value
    index &+= 1
    return value
  }
}
