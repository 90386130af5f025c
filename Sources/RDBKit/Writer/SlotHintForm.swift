/// How a server writes a cluster node's per-slot size hints (``SlotHint``), and so how a
/// file for it carries them.
public enum SlotHintForm: Sendable, Equatable {
  /// Not at all: the server neither writes nor reads them (Redis before 7.4, Valkey 7.2).
  case none
  /// The `SLOT_INFO` opcode (Redis 7.4 and later).
  case opcode
  /// An AUX field `slot-info` inside the database section (Valkey 8 and later; a server
  /// that does not know the field skips it, as every AUX field).
  case auxField
}
