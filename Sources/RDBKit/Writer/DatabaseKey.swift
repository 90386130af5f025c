/// A key name in an output database, for the exact part of the duplicate check.
struct DatabaseKey: Hashable, Sendable {
  var database: Int
  var name: [UInt8]

  /// `key`'s bytes, copied, in `database`.
  init(database: Int, key: RawSpan) {
    self.database = database
    name = unsafe key.withUnsafeBytes { unsafe [UInt8]($0) }
  }
}
