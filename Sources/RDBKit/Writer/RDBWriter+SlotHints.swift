/// Cluster slot hints (``SlotHint``): the one read last is written before the next key that
/// is written, in the target's form (``TargetEngine/slotHints``). Hints for slots whose keys
/// are all left out are dropped with them.
extension RDBWriter {
  /// Keeps the hint for the slot's first key written, in the target's form (``SlotHintForm``).
  public mutating func slotHint(_ hint: SlotHint) throws(RDBError) {
    slotHint = hint
  }

  /// Writes the pending hint, if any; called before a key's expiry and type.
  mutating func writePendingSlotHint() {
    guard let hint = slotHint else { return }
    slotHint = nil
    writeSlotHint(hint)
  }

  /// Writes a slot hint the way the target's cluster nodes write it; a slot number no
  /// cluster has is left out, as loaders ignore it.
  private mutating func writeSlotHint(_ hint: SlotHint) {
    guard hint.slot < UInt64(HashSlot.count) else { return }
    switch engine.slotHints {
    case .none:
      return
    case .opcode:
      encoder.byte(Opcode.slotInfo.rawValue)
      encoder.length(hint.slot)
      encoder.length(hint.keys)
      encoder.length(hint.expires)
    case .auxField:
      var hint = hint
      // Valkey 8 writes three numbers; the fourth is Valkey 9's.
      if engine.version.magic != .valkey { hint.volatileKeys = nil }
      encoder.byte(Opcode.aux.rawValue)
      encoder.string(Array("slot-info".utf8))
      encoder.string(Array(hint.auxValue.utf8))
    }
  }
}
