/// Walks a zipmap blob (type 9, Redis 2.4) after the checks of `zipmapValidateIntegrity`.
///
/// Layout: a count byte (254 or more: unknown), then field/value pairs, then `0xFF`. Each
/// length is one byte below 254, or 254 and a u32 LE; each value is followed by a `free`
/// byte and that many padding bytes.
///
/// As the server, the walk ends at the first `0xFF` where a field would start (the blob's
/// last byte must be one too); bytes after it are noted in ``irregularity`` for the caller
/// to warn about.
@safe struct ZipmapReader {
  private let bytes: UnsafeRawBufferPointer
  private let origin: Int
  private let declaredCount: Int
  private var position = 1
  /// Pairs read so far.
  private(set) var count = 0
  /// What no writer does but the server reads, once the pairs are read: bytes after the end
  /// marker that ended them.
  private(set) var irregularity: String?

  /// Checks `bytes`'s size and end marker; `origin` is the file offset reported in errors.
  @unsafe init(_ bytes: UnsafeRawBufferPointer, origin: Int) throws(RDBError) {
    unsafe self.bytes = bytes
    self.origin = origin
    guard bytes.count >= 2 else { throw Self.corrupt("\(bytes.count) bytes is too short", origin) }
    guard unsafe bytes[bytes.count &- 1] == 0xFF else {
      throw Self.corrupt("no end marker", origin)
    }
    declaredCount = unsafe Int(bytes[0])
  }

  private static func corrupt(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "zipmap", reason: reason), at: origin)
  }

  private func fail(_ reason: String) -> RDBError {
    Self.corrupt("pair \(count) at blob byte \(position): \(reason)", origin)
  }

  private mutating func readLength() throws(RDBError) -> Int {
    let end = unsafe bytes.count &- 1
    guard position < end else { throw fail("length runs past the end") }
    let first = unsafe bytes[position]
    if first < 254 {
      position &+= 1
      return Int(first)
    }
    guard first == 254, position &+ 5 <= end else { throw fail("invalid length") }
    let length = unsafe Int(bytes.littleEndian(at: position &+ 1, as: UInt32.self))
    position &+= 5
    return length
  }

  private mutating func readBytes(_ length: Int) throws(RDBError) -> UnsafeRawBufferPointer {
    guard unsafe length <= bytes.count &- 1 &- position else {
      throw fail("\(length) bytes run past the end")
    }
    defer { position &+= length }
    return unsafe UnsafeRawBufferPointer(rebasing: bytes[position..<position &+ length])
  }

  /// Returns the next field and value, or nil after the last pair (having checked the count).
  mutating func next() throws(RDBError) -> (
    field: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
  )? {
    let end = unsafe bytes.count &- 1
    if position < end, unsafe bytes[position] == 0xFF {
      irregularity =
        irregularity ?? "has \(end &- position) bytes after the end marker of its pairs, "
        + "which a server ignores"
      position = end
    }
    guard position < end else {
      guard count > 0 else { throw fail("no pairs") }
      if declaredCount < 254, declaredCount != count {
        throw fail("header counts \(declaredCount) pairs, found \(count)")
      }
      return nil
    }
    let field = unsafe try readBytes(try readLength())
    let valueLength = try readLength()
    guard position < end else { throw fail("free byte runs past the end") }
    let free = unsafe Int(bytes[position])
    position &+= 1
    let value = unsafe try readBytes(valueLength)
    _ = unsafe try readBytes(free)
    count &+= 1
    return unsafe (field, value)
  }
}
