/// The repeat check of a packed value too large for the streaming table, in bounded memory
/// (see `DuplicateCheck+Passes.swift`).
extension Decoder {
  /// Checks `blob`, a value of `type`, for a repeated field or member before it is walked,
  /// in memory near its own size, and leaves the walk that follows unchecked for repeats.
  ///
  /// The passes walk the value with the same checks, in the same order, as that walk. A
  /// structural error ends a pass; only the elements before it are compared, so a repeat is
  /// reported exactly when the walk would have reached it first, and the error itself is left
  /// to the walk. Warnings raised by the passes are dropped: the walk raises them.
  /// - Throws: the repeat the walk would report.
  @unsafe mutating func checkRepeatsInPasses(
    _ blob: UnsafeRawBufferPointer, _ type: ValueType, origin: Int
  ) throws(RDBError) {
    guard hasUniqueElements(type) else { return }
    let warningCount = warnings.count
    defer {
      warnings.removeSubrange(warningCount...)
      duplicates.endPasses()
    }
    var partitions = 1
    var partition = 0
    while partition < partitions {
      duplicates.beginCollecting(
        partition: partition, of: partitions, limit: partitions == 1 ? blob.count / 8 : .max)
      _ = unsafe walkForRepeats(blob, type, origin: origin)
      if duplicates.overflowed {
        partitions = DuplicateCheck.partitionCount
        continue
      }
      let repeated = duplicates.repeatedHashes()
      var start = 0
      while start < repeated.count {
        let end = min(start &+ DuplicateCheck.candidateBatch, repeated.count)
        duplicates.beginVerifying(repeated[start..<end])
        if let error = unsafe walkForRepeats(blob, type, origin: origin), duplicates.foundRepeat {
          throw error
        }
        start = end
      }
      partition &+= 1
    }
    duplicates.skipRemaining()
  }

  /// Whether `type` is a set, hash or sorted set whose elements the walk checks for repeats.
  private func hasUniqueElements(_ type: ValueType) -> Bool {
    switch type {
    case .hashZipmap, .setListpack, .hashZiplist, .hashListpack, .sortedSetZiplist,
      .sortedSetListpack, .hashListpackEx, .hashListpackExPreGA:
      return true
    default:
      return false
    }
  }

  /// One pass over `blob` with the walk's checks; returns the error that ended it, if any.
  @unsafe private mutating func walkForRepeats(
    _ blob: UnsafeRawBufferPointer, _ type: ValueType, origin: Int
  ) -> RDBError? {
    do throws(RDBError) {
      switch type {
      case .hashZipmap:
        var reader = unsafe try ZipmapReader(blob, origin: origin)
        while let (field, _) = unsafe try reader.next() {
          guard unsafe duplicates.insert(field) else { throw Self.duplicate("zipmap", origin) }
        }
      case .hashZiplist, .sortedSetZiplist:
        var reader = unsafe try ZiplistReader(blob, origin: origin)
        try checkPacked(&reader, as: type == .hashZiplist ? .hash : .sortedSet, origin: origin)
      case .hashListpackEx, .hashListpackExPreGA:
        var reader = unsafe try ListpackReader(blob, origin: origin)
        try checkPacked(&reader, as: .hashWithTTLs, origin: origin)
      default:
        var reader = unsafe try ListpackReader(blob, origin: origin)
        let shape: PackedShape =
          type == .setListpack ? .set : type == .hashListpack ? .hash : .sortedSet
        try checkPacked(&reader, as: shape, origin: origin)
      }
      return nil
    } catch {
      return error
    }
  }
}
