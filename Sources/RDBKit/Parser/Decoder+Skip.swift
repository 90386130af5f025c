/// Passing over a value without decoding it, for handlers that return
/// ``KeyDecision/skip``: lengths are followed, strings and blobs are stepped over whole.
extension Decoder {
  mutating func skipValue(_ type: ValueType) throws(RDBError) {
    switch type {
    case .string, .hashZipmap, .listZiplist, .setIntset, .sortedSetZiplist, .hashZiplist,
      .hashListpack, .sortedSetListpack, .setListpack, .hashListpackExPreGA:
      try skipString()
    case .hashListpackEx:
      try source.skip(8)
      try skipString()
    case .list, .set:
      try skipStrings(count: try readLength(), each: 1)
    case .hash:
      try skipStrings(count: try readLength(), each: 2)
    case .sortedSet:
      let count = try readLength()
      for _ in 0..<count {
        try skipString()
        let length = try source.takeByte()
        if length < 253 { try source.skip(UInt64(length)) }
      }
    case .sortedSet2:
      var left = try readLength()
      while left > 0 {
        left &-= source.skipPlainStrings(upTo: left, trailing: 8)
        guard left > 0 else { break }
        try skipString()
        try source.skip(8)
        left &-= 1
      }
    case .hashMetadataPreGA, .hashMetadata:
      if type == .hashMetadata { try source.skip(8) }
      let count = try readLength()
      for _ in 0..<count {
        if version.isValkey {
          try skipString()
          try skipString()
          try source.skip(8)
        } else {
          _ = try readLength()
          try skipString()
          try skipString()
        }
      }
    case .listQuicklist:
      try skipStrings(count: try readLength(), each: 1)
    case .listQuicklist2:
      let count = try readLength()
      for _ in 0..<count {
        _ = try readLength()
        try skipString()
      }
    case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4:
      try skipStream(type)
    case .modulePreGA, .module2:
      let start = source.offset
      let module = ModuleType(id: try readLength())
      guard type == .module2 else {
        throw RDBError(
          .unreadableModule("module \(module) value in the pre-release format cannot be skipped"),
          at: start)
      }
      try skipModuleOpcodes(of: "module \(module)")
    }
  }

  /// Skips `count` groups of `each` strings: runs of plain ones in one loop over the window
  /// (``ByteSource/skipPlainStrings(upTo:trailing:)``), anything else one by one.
  private mutating func skipStrings(count: UInt64, each: Int) throws(RDBError) {
    let (total, overflow) = count.multipliedReportingOverflow(by: UInt64(each))
    var left = overflow ? UInt64.max : total
    while left > 0 {
      left &-= source.skipPlainStrings(upTo: left, trailing: 0)
      guard left > 0 else { break }
      try skipString()
      left &-= 1
    }
  }

  private mutating func skipStream(_ type: ValueType) throws(RDBError) {
    try skipStrings(count: try readLength(), each: 2)
    let lengths = type == .streamListpacks ? 3 : 8
    for _ in 0..<lengths { _ = try readLength() }
    let groups = try readLength()
    for _ in 0..<groups {
      try skipString()
      let lengths = type == .streamListpacks ? 2 : 3
      for _ in 0..<lengths { _ = try readLength() }
      let pending = try readLength()
      for _ in 0..<pending {
        try source.skip(24)
        _ = try readLength()
      }
      let consumers = try readLength()
      for _ in 0..<consumers {
        try skipString()
        try source.skip(type == .streamListpacks3 || type == .streamListpacks4 ? 16 : 8)
        let owned = try readLength()
        try source.skip(owned &* 16)
      }
    }
    if type == .streamListpacks4 {
      _ = try readLength()  // IDMP duration
      _ = try readLength()  // IDMP max size
      let producers = try readLength()
      for _ in 0..<producers {
        try skipString()
        let entries = try readLength()
        for _ in 0..<entries {
          try skipString()
          _ = try readLength()
          _ = try readLength()
        }
      }
      _ = try readLength()  // IIDs added
      _ = try readLength()  // duplicates
    }
  }
}
