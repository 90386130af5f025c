import RDBKit

/// A handler that writes RDB files: one ``RDBWriter``, or a ``SlotRouter`` over several.
protocol FileWriting: RDBHandler {
  /// The writers, one per file.
  var fileWriters: [RDBWriter] { get }
  /// Ends every file.
  mutating func finishFiles() throws(RDBError)
}

extension RDBWriter: FileWriting {
  var fileWriters: [RDBWriter] { [self] }
  mutating func finishFiles() throws(RDBError) { try finish() }
}

extension SlotRouter: FileWriting {
  var fileWriters: [RDBWriter] { writers }
  mutating func finishFiles() throws(RDBError) { try finish() }
}
