/// A cluster node's size hint for one hash slot, written before the slot's first key: Redis
/// 7.4 and later write it as the `SLOT_INFO` opcode, Valkey 8 and later as an AUX field
/// `slot-info` (`slot,keys,expires` and, from Valkey 9, the keys with volatile fields).
///
/// The counts only let a loading cluster node size its per-slot tables; no server checks
/// them against the keys that follow.
public struct SlotHint: Sendable, Equatable {
  /// The hash slot, 0–16383 in a well-formed file.
  public var slot: UInt64
  /// Keys in the slot.
  public var keys: UInt64
  /// Keys in the slot that have an expiry.
  public var expires: UInt64
  /// Keys in the slot with field TTLs (Valkey 9's fourth number), when the file says.
  public var volatileKeys: UInt64?

  public init(slot: UInt64, keys: UInt64, expires: UInt64, volatileKeys: UInt64? = nil) {
    self.slot = slot
    self.keys = keys
    self.expires = expires
    self.volatileKeys = volatileKeys
  }

  /// The hint in a Valkey AUX field, or nil for any other field or a value with fewer than
  /// three numbers (which Valkey refuses too).
  public init?(auxKey key: RawSpan, value: RawSpan) {
    guard unsafe key.withUnsafeBytes({ unsafe $0.elementsEqual("slot-info".utf8) }) else {
      return nil
    }
    var numbers: [UInt64] = []
    var current: UInt64?
    let parsed: Bool = unsafe value.withUnsafeBytes { bytes in
      for index in 0..<bytes.count {
        let byte = unsafe bytes[index]
        if byte == UInt8(ascii: ",") {
          guard let number = current else { return false }
          numbers.append(number)
          current = nil
        } else if let digit = Self.digit(byte) {
          let (times, overflow) = (current ?? 0).multipliedReportingOverflow(by: 10)
          guard !overflow else { return false }
          let (sum, carry) = times.addingReportingOverflow(digit)
          guard !carry else { return false }
          current = sum
        } else {
          return false
        }
      }
      if let current { numbers.append(current) }
      return true
    }
    guard parsed, (3...4).contains(numbers.count) else { return nil }
    self.init(
      slot: numbers[0], keys: numbers[1], expires: numbers[2],
      volatileKeys: numbers.count == 4 ? numbers[3] : nil)
  }

  /// The AUX field's value, as Valkey writes it.
  public var auxValue: String {
    var text = "\(slot),\(keys),\(expires)"
    if let volatileKeys { text += ",\(volatileKeys)" }
    return text
  }

  private static func digit(_ byte: UInt8) -> UInt64? {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      ? UInt64(byte - UInt8(ascii: "0")) : nil
  }
}
