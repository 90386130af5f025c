/// The items of a module opcode stream, decoded from bytes a handler was given: a
/// ``RDBHandler/keyMetadata(_:payload:)`` payload, or a ``RDBHandler/modulePayload(_:)``
/// after its module id (and, for AUX data, its `2` marker and `when` value).
///
/// Without the module, the items are all a reader can know of the data: typed numbers and
/// strings in the order the module saved them. This is a convenience for tools and tests;
/// it copies every string (the parser itself never builds items).
///
///     let items = try ModuleItems(payload)
///     if case .string(let bytes) = items.items.first { … }
public struct ModuleItems: Sendable, Equatable {
  /// One saved value.
  public enum Item: Sendable, Equatable {
    /// `RDB_MODULE_OPCODE_SINT` (opcode 1), a 64-bit two's complement value.
    case signed(Int64)
    /// `RDB_MODULE_OPCODE_UINT` (opcode 2); the module API's "save signed" writes this too.
    case unsigned(UInt64)
    /// `RDB_MODULE_OPCODE_FLOAT` (opcode 3).
    case float(Float)
    /// `RDB_MODULE_OPCODE_DOUBLE` (opcode 4).
    case double(Double)
    /// `RDB_MODULE_OPCODE_STRING` (opcode 5), decoded (integer-encoded and LZF strings too);
    /// long doubles are saved as hex-float text.
    case string([UInt8])
  }

  /// The items, in order.
  public var items: [Item]
  /// The bytes the stream took, through its EOF opcode 0.
  public var byteCount: Int

  /// Decodes the opcode stream at the start of `bytes`, up to and including its EOF.
  ///
  /// - Throws: ``RDBError`` when the stream is malformed or ends before its EOF; offsets are
  ///   relative to the start of `bytes`.
  /// - Complexity: O(`bytes.byteCount`).
  public init(_ bytes: RawSpan) throws(RDBError) {
    let result: Result<([Item], Int), RDBError> = unsafe bytes.withUnsafeBytes { buffer in
      var decoder = unsafe Decoder(
        source: ByteSource(bytes: buffer, releasesPages: false, progress: nil))
      defer { decoder.release() }
      do throws(RDBError) {
        return .success((try decoder.readModuleItems(), decoder.source.offset))
      } catch {
        return .failure(error)
      }
    }
    (items, byteCount) = try result.get()
  }
}

extension Decoder {
  /// Reads module items up to the EOF opcode 0 (see ``ModuleItems``).
  mutating func readModuleItems() throws(RDBError) -> [ModuleItems.Item] {
    var items: [ModuleItems.Item] = []
    while true {
      let start = source.offset
      switch try readLength() {
      case 0: return items
      case 1: items.append(.signed(Int64(bitPattern: try readLength())))
      case 2: items.append(.unsigned(try readLength()))
      case 3:
        items.append(
          .float(Float(bitPattern: unsafe try source.take(4).littleEndian(at: 0, as: UInt32.self))))
      case 4:
        items.append(
          .double(
            Double(bitPattern: unsafe try source.take(8).littleEndian(at: 0, as: UInt64.self))))
      case 5: items.append(.string(unsafe Array(try readString(into: .second, persistent: false))))
      case let opcode:
        throw RDBError(.unreadableModule("module data has unknown opcode \(opcode)"), at: start)
      }
    }
  }
}
