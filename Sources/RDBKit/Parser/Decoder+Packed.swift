/// Decoding of values stored as one blob (ziplist, listpack, intset, zipmap) and of
/// quicklists, whose nodes are blobs.
extension Decoder {
  /// Decodes a single-blob value of `type` and reports its elements.
  mutating func readPackedValue<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError)
  {
    let origin = source.offset
    if type == .hashListpackEx {
      let minimum = try readInt64()
      guard minimum >= 0, minimum <= FieldTTL.maximum else {
        throw RDBError(.invalidValue("minimum field expiry \(minimum) is out of range"), at: origin)
      }
    }
    let blobOrigin = source.offset
    let kind: ValueBlob.Kind
    let group: Int
    switch type {
    case .hashZipmap: (kind, group) = (.zipmap, 2)
    case .setIntset: (kind, group) = (.intset, 1)
    case .listZiplist: (kind, group) = (.ziplist, 1)
    case .sortedSetZiplist, .hashZiplist: (kind, group) = (.ziplist, 2)
    case .hashListpack, .sortedSetListpack: (kind, group) = (.listpack, 2)
    case .hashListpackEx, .hashListpackExPreGA: (kind, group) = (.listpack, 3)
    default: (kind, group) = (.listpack, 1)
    }
    if let left = try leaveBlobToChecksum(
      kind, group: group, counting: H.needsPackedElementCounts, origin: blobOrigin)
    {
      try handler.beginValue(encoding: type.storedEncoding)
      return try reportLeftBlob(kind, left, to: &handler)
    }
    if H.measuresPackedBlobsAside, let shape = PackedShape(type),
      let (aside, count) = try takeBlobAside(
        kind, group: group, type: type, shape: shape, origin: blobOrigin, handler: &handler)
    {
      try handler.beginValue(encoding: type.storedEncoding)
      try reportAsideBlob(aside, count: count, to: &handler)
      return try handler.packedBlobAside(aside)
    }
    let blob = unsafe try readString(into: .blob, persistent: false)
    try handler.beginValue(encoding: type.storedEncoding)
    // A compressed blob measured for a handler that leaves its other bytes to the checksum is
    // walked for its lengths, its repeats left to the checksum (``measuresBlobsLightly``).
    let shape = H.needsPackedElements ? nil : PackedShape(type)
    let light = shape != nil && measuresBlobsLightly(H.self) && lastStringWasCompressed
    if !light { duplicates.reset() }
    try unsafe reportBlob(kind, blob, group: group, origin: blobOrigin, to: &handler)
    if !light, blob.count > DuplicateCheck.streamingLimit {
      try unsafe checkRepeatsInPasses(blob, type, origin: blobOrigin)
    }
    if let shape {
      if light { blobsLeftToChecksum &+= 1 }
      let largest: Int
      if kind == .ziplist {
        var reader = unsafe try ZiplistReader(blob, origin: blobOrigin)
        largest = try checkPacked(
          &reader, as: shape, origin: blobOrigin, measuring: H.needsPackedElementLengths,
          checkingRepeats: !light)
      } else {
        var reader = unsafe try ListpackReader(blob, origin: blobOrigin)
        largest = try checkPacked(
          &reader, as: shape, origin: blobOrigin, measuring: H.needsPackedElementLengths,
          checkingRepeats: !light)
      }
      if H.needsPackedElementLengths { try handler.largestPackedElement(largest) }
      return
    }
    switch type {
    case .hashZipmap:
      var reader = unsafe try ZipmapReader(blob, origin: blobOrigin)
      while let (field, value) = unsafe try reader.next() {
        guard unsafe duplicates.insert(field) else { throw Self.duplicate("zipmap", blobOrigin) }
        try unsafe handler.hashField(
          RawSpan(_unsafeBytes: field), value: RawSpan(_unsafeBytes: value), expiresAt: nil)
      }
      if let irregularity = reader.irregularity {
        warn(.zipmapLayout(irregularity), at: blobOrigin)
      }
    case .setIntset:
      var reader = unsafe try IntsetReader(blob, origin: blobOrigin)
      while let member = try reader.next() {
        try unsafe handler.setMember(RawSpan(_unsafeBytes: secondScratch.text(of: member)))
      }
    case .listZiplist:
      var reader = unsafe try ZiplistReader(blob, origin: blobOrigin)
      try emitListElements(&reader, into: &handler)
    case .sortedSetZiplist:
      var reader = unsafe try ZiplistReader(blob, origin: blobOrigin)
      try emitSortedSetPairs(&reader, origin: blobOrigin, into: &handler)
    case .hashZiplist:
      var reader = unsafe try ZiplistReader(blob, origin: blobOrigin)
      try emitHashPairs(&reader, origin: blobOrigin, into: &handler)
    case .hashListpack:
      var reader = unsafe try ListpackReader(blob, origin: blobOrigin)
      try emitHashPairs(&reader, origin: blobOrigin, into: &handler)
    case .sortedSetListpack:
      var reader = unsafe try ListpackReader(blob, origin: blobOrigin)
      try emitSortedSetPairs(&reader, origin: blobOrigin, into: &handler)
    case .setListpack:
      var reader = unsafe try ListpackReader(blob, origin: blobOrigin)
      while let member = try reader.nextElement() {
        guard duplicates.insert(member) else { throw Self.duplicate("listpack", blobOrigin) }
        try unsafe handler.setMember(RawSpan(_unsafeBytes: member.bytes(using: &secondScratch)))
      }
    case .hashListpackEx, .hashListpackExPreGA:
      var reader = unsafe try ListpackReader(blob, origin: blobOrigin)
      try emitHashTriplets(&reader, origin: blobOrigin, into: &handler)
    default:
      preconditionFailure("readPackedValue called for \(type)")
    }
  }

  /// Types 14 and 18: a list of ziplist, listpack or plain nodes. Returns `listpack` for a
  /// 7.2+ list of one small packed node (what the server keeps such a list as), else
  /// `quicklist`.
  mutating func readQuicklist<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError) -> Encoding
  {
    let nodeCount = try readLength()
    var encoding = Encoding.quicklist
    for index in 0..<nodeCount {
      let containerOffset = source.offset
      let container: UInt64 = type == .listQuicklist2 ? try readLength() : 2
      guard container == 1 || container == 2 else {
        throw RDBError(
          .corruptStructure(
            structure: "quicklist", reason: "node container \(container) is not 1 or 2"),
          at: containerOffset)
      }
      let blobOrigin = source.offset
      let kind: ValueBlob.Kind =
        container == 1 ? .plainNode : type == .listQuicklist ? .ziplist : .listpack
      var left = try leaveBlobToChecksum(
        kind, group: 1, counting: H.needsPackedElementCounts, origin: blobOrigin)
      var aside: (blob: PackedBlobAside, count: Int?)? = nil
      if H.measuresPackedBlobsAside, left == nil, container == 2 {
        aside = try takeBlobAside(
          kind, group: 1, type: nil, shape: .list, origin: blobOrigin, handler: &handler)
        if let aside { left = (aside.blob.length, aside.count) }
      }
      let node =
        left == nil
        ? unsafe try readString(into: .blob, persistent: false)
        : unsafe UnsafeRawBufferPointer(start: nil, count: 0)
      if index == 0 {
        if type == .listQuicklist2, nodeCount == 1, container == 2, version.number >= 11,
          left?.length ?? node.count <= QuicklistLimits.defaultNodeBytes
        {
          encoding = .listpack
        }
        try handler.beginValue(encoding: encoding)
      }
      if let aside {
        try reportAsideBlob(aside.blob, count: aside.count, to: &handler)
        try handler.packedBlobAside(aside.blob)
        continue
      }
      if let left {
        try reportLeftBlob(kind, left, to: &handler)
        continue
      }
      try unsafe reportBlob(
        kind, node, group: 1, origin: blobOrigin,
        quicklistNodeCount: index == 0 ? nodeCount : nil, to: &handler)
      if container == 1 {
        guard node.count > 0 else {
          throw RDBError(
            .corruptStructure(structure: "quicklist", reason: "empty plain node"), at: blobOrigin)
        }
        try unsafe handler.listElement(RawSpan(_unsafeBytes: node))
      } else if type == .listQuicklist {
        var reader = unsafe try ZiplistReader(node, origin: blobOrigin)
        if H.needsPackedElements {
          try emitListElements(&reader, into: &handler)
        } else {
          let largest = try checkPacked(
            &reader, as: .list, origin: blobOrigin, measuring: H.needsPackedElementLengths)
          if H.needsPackedElementLengths { try handler.largestPackedElement(largest) }
        }
      } else {
        if H.needsPackedElements, try unsafe handler.listpackListNode(RawSpan(_unsafeBytes: node)) {
          continue
        }
        var reader = unsafe try ListpackReader(node, origin: blobOrigin)
        if H.needsPackedElements {
          try emitListElements(&reader, into: &handler)
        } else {
          let largest = try checkPacked(
            &reader, as: .list, origin: blobOrigin, measuring: H.needsPackedElementLengths)
          if H.needsPackedElementLengths { try handler.largestPackedElement(largest) }
        }
      }
    }
    if nodeCount == 0 { try handler.beginValue(encoding: encoding) }
    return encoding
  }

  private mutating func emitListElements<R: PackedReader, H: RDBHandler>(
    _ reader: inout R, into handler: inout H
  ) throws(RDBError) {
    while let element = try reader.nextElement() {
      try unsafe handler.listElement(RawSpan(_unsafeBytes: element.bytes(using: &secondScratch)))
    }
  }

  private mutating func emitHashPairs<R: PackedReader, H: RDBHandler>(
    _ reader: inout R, origin: Int, into handler: inout H
  ) throws(RDBError) {
    while let field = try reader.nextElement() {
      guard let value = try reader.nextElement() else { throw Self.oddCount(R.name, origin) }
      guard duplicates.insert(field) else { throw Self.duplicate(R.name, origin) }
      let name = unsafe RawSpan(_unsafeBytes: field.bytes(using: &firstScratch))
      if value.isInteger {
        try handler.hashField(name, integer: value.integer)
      } else {
        try unsafe handler.hashField(
          name, value: RawSpan(_unsafeBytes: value.string), expiresAt: nil)
      }
    }
  }

  private mutating func emitSortedSetPairs<R: PackedReader, H: RDBHandler>(
    _ reader: inout R, origin: Int, into handler: inout H
  ) throws(RDBError) {
    var warned = false
    while let member = try reader.nextElement() {
      guard let scoreElement = try reader.nextElement() else { throw Self.oddCount(R.name, origin) }
      guard duplicates.insert(member) else { throw Self.duplicate(R.name, origin) }
      let score: Double
      if scoreElement.isInteger {
        score = Double(scoreElement.integer)
      } else if let parsed = unsafe DoubleText.parse(scoreElement.string), !parsed.isNaN {
        score = parsed
      } else {
        score = unsafe loadedScore(scoreElement.string, origin: origin, warned: &warned)
      }
      try unsafe handler.sortedSetMember(
        RawSpan(_unsafeBytes: member.bytes(using: &firstScratch)), score: score)
    }
  }

  /// Types 23 and 25: field, value, TTL triplets; TTLs are integers, 0 for none, and the
  /// fields with a TTL come first in non-decreasing order.
  private mutating func emitHashTriplets<H: RDBHandler>(
    _ reader: inout ListpackReader, origin: Int, into handler: inout H
  ) throws(RDBError) {
    var previous: Int64 = 0
    var seenNoTTL = false
    while let field = try reader.nextElement() {
      guard let value = try reader.nextElement(), let ttl = try reader.nextElement() else {
        throw RDBError(
          .corruptStructure(structure: "listpack", reason: "element count is not a multiple of 3"),
          at: origin)
      }
      guard duplicates.insert(field) else { throw Self.duplicate("listpack", origin) }
      try Self.checkFieldTTL(ttl, previous: &previous, seenNoTTL: &seenNoTTL, origin: origin)
      try unsafe handler.hashField(
        RawSpan(_unsafeBytes: field.bytes(using: &firstScratch)),
        value: RawSpan(_unsafeBytes: value.bytes(using: &secondScratch)),
        expiresAt: ttl.integer == 0 ? nil : ttl.integer)
    }
  }

  /// A field TTL of a triplet: an integer in range, 0 for none, the fields with a TTL first
  /// and in non-decreasing order.
  static func checkFieldTTL(
    _ ttl: PackedElement, previous: inout Int64, seenNoTTL: inout Bool, origin: Int
  ) throws(RDBError) {
    guard ttl.isInteger, ttl.integer >= 0, ttl.integer <= FieldTTL.maximum else {
      throw RDBError(.invalidValue("field TTL is not an integer in range"), at: origin)
    }
    if ttl.integer == 0 {
      seenNoTTL = true
    } else {
      guard !seenNoTTL, ttl.integer >= previous else {
        throw RDBError(.invalidValue("field TTLs are out of order"), at: origin)
      }
      previous = ttl.integer
    }
  }

  /// The score a server reads from a packed score that is not a number, with a warning
  /// (once per value).
  @unsafe mutating func loadedScore(
    _ text: UnsafeRawBufferPointer, origin: Int, warned: inout Bool
  ) -> Double {
    let score = unsafe DoubleText.loadedScore(text)
    if !warned {
      warned = true
      let shown = unsafe String(decoding: text.prefix(40), as: UTF8.self)
      warn(.sortedSetScore(text: shown, loadedAs: score), at: origin)
    }
    return score
  }

  static func duplicate(_ structure: String, _ origin: Int) -> RDBError {
    RDBError(
      .corruptStructure(structure: structure, reason: "a field or member appears twice"),
      at: origin)
  }

  static func oddCount(_ structure: String, _ origin: Int) -> RDBError {
    RDBError(
      .corruptStructure(structure: structure, reason: "odd number of elements for pairs"),
      at: origin)
  }
}

/// The default quicklist node size limit (`list-max-listpack-size -2`).
enum QuicklistLimits {
  static let defaultNodeBytes = 8192
}

/// A walker over a ziplist or a listpack.
protocol PackedReader {
  /// The structure's name, for error messages.
  static var name: String { get }
  /// Returns the next element, or nil after the last.
  mutating func next() throws(RDBError) -> PackedElement?
  /// The next element when the reader takes it on a short path (most elements of a
  /// listpack); nil, having read nothing, for anything else, which ``next()`` then reads and
  /// checks.
  mutating func nextSimple() -> PackedElement?
}

extension PackedReader {
  /// ``next()``, by ``nextSimple()`` when it can: the same elements and errors.
  @inline(__always)
  mutating func nextElement() throws(RDBError) -> PackedElement? {
    if let element = nextSimple() { return element }
    return try next()
  }
}

extension ZiplistReader: PackedReader {
  static var name: String { "ziplist" }
  @inline(__always)
  func nextSimple() -> PackedElement? { nil }
}

extension ListpackReader: PackedReader {
  static var name: String { "listpack" }
}
