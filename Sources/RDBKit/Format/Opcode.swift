/// The record opcodes that can stand where a value type byte would (RDB_OPCODE_* in rdb.h).
enum Opcode: UInt8 {
  /// `RDB_OPCODE_SLOT_IMPORT` (Valkey 9, `VALKEY` files only): an in-progress slot import.
  /// In a `REDIS` file the same byte is ``keyMetadata``.
  case slotImport = 0xF3
  /// `RDB_OPCODE_KEY_META` (Redis 8.6, `REDIS` files only): module metadata of the next key,
  /// which must follow at once. The same byte as ``slotImport``: the magic decides.
  static let keyMetadata = Opcode.slotImport
  /// `RDB_OPCODE_SLOT_INFO`: cluster hash-slot sizes before the slot's first key.
  case slotInfo = 0xF4
  /// `RDB_OPCODE_FUNCTION2`: one function library's source code.
  case function2 = 0xF5
  /// `RDB_OPCODE_FUNCTION_PRE_GA`: a function written by Redis 7.0-rc1/rc2.
  case functionPreGA = 0xF6
  /// `RDB_OPCODE_MODULE_AUX`: global data of a module type.
  case moduleAux = 0xF7
  /// `RDB_OPCODE_IDLE`: the next key's LRU idle time in seconds.
  case idle = 0xF8
  /// `RDB_OPCODE_FREQ`: the next key's LFU counter.
  case freq = 0xF9
  /// `RDB_OPCODE_AUX`: a metadata field.
  case aux = 0xFA
  /// `RDB_OPCODE_RESIZEDB`: size hints for the current database.
  case resizeDatabase = 0xFB
  /// `RDB_OPCODE_EXPIRETIME_MS`: the next key's absolute expiry in milliseconds.
  case expireTimeMilliseconds = 0xFC
  /// `RDB_OPCODE_EXPIRETIME`: the next key's absolute expiry in seconds.
  case expireTime = 0xFD
  /// `RDB_OPCODE_SELECTDB`: the following keys belong to another database.
  case selectDatabase = 0xFE
  /// `RDB_OPCODE_EOF`: end of the records; the checksum follows.
  case endOfFile = 0xFF
}
