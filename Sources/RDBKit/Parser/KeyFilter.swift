/// Which keys a run keeps: the filters every rdbtool command offers.
///
/// A key passes when it passes every criterion that is set; an empty criterion keeps all.
public struct KeySelection: Sendable {
  /// An expiry class, relative to the file's `ctime` (when it was written).
  public enum Expiry: String, Sendable, CaseIterable {
    /// Every key.
    case any
    /// Keys without an expiry.
    case none
    /// Keys whose expiry had passed when the file was written.
    case expired
    /// Keys without an expiry, or whose expiry had not passed.
    case live
  }

  /// Every criterion but the regular expressions, judged per key.
  var criteria = Criteria()
  /// A regular expression the key name (as UTF-8, invalid bytes replaced) must match.
  public var regex: Regex<AnyRegexOutput>?
  /// Regular expressions a kept key name must not match.
  public var excludedRegexes: [Regex<AnyRegexOutput>] = []

  /// Databases to keep (empty: all).
  public var databases: Set<Int> {
    get { criteria.databases }
    set { criteria.databases = newValue }
  }
  /// Data types to keep (empty: all).
  public var types: Set<DataType> {
    get { criteria.types }
    set { criteria.types = newValue }
  }
  /// A Redis glob the key name must match.
  public var glob: GlobPattern? {
    get { criteria.glob }
    set { criteria.glob = newValue }
  }
  /// The expiry class to keep.
  public var expiry: Expiry {
    get { criteria.expiry }
    set { criteria.expiry = newValue }
  }
  /// Redis globs a kept key name must not match.
  public var excludedGlobs: [GlobPattern] {
    get { criteria.excludedGlobs }
    set { criteria.excludedGlobs = newValue }
  }
  /// The time, in Unix ms, that `expired` and `live` are judged at; nil: the file's `ctime`.
  public var referenceTime: Int64? {
    get { criteria.referenceTime }
    set { criteria.referenceTime = newValue }
  }
  /// Whether lists, sets, sorted sets and hashes with no elements (which a loading server
  /// skips, see ``KeyInfo/isEmptyAggregate``) are left out; ``ParseSummary/emptyKeys``
  /// counts them.
  public var skipsEmptyKeys: Bool {
    get { criteria.skipsEmptyKeys }
    set { criteria.skipsEmptyKeys = newValue }
  }

  /// Keeps everything.
  public init() {}

  /// Whether no criterion is set (leaving out empty keys, which a server skips anyway, does not
  /// count).
  public var keepsEverything: Bool {
    databases.isEmpty && types.isEmpty && glob == nil && regex == nil && expiry == .any
      && excludedGlobs.isEmpty && excludedRegexes.isEmpty
  }

  /// Whether a key passes; `snapshotTime` is the file's `ctime` in ms, when known.
  public func keeps(_ key: RawSpan, info: KeyInfo, snapshotTime: Int64?) -> Bool {
    criteria.keeps(key, info: info, snapshotTime: snapshotTime) && keepsByRegexes(key)
  }

  /// Whether any regular expression is set. Asking an optional `Regex` whether it is nil goes
  /// through the standard library's type metadata (its layout is resilient), which weighs on
  /// files of tiny keys; a ``KeyFilter`` asks once.
  var hasRegexes: Bool { regex != nil || !excludedRegexes.isEmpty }

  /// Whether a key's name matches ``regex`` (when set) and none of ``excludedRegexes``.
  func keepsByRegexes(_ key: RawSpan) -> Bool {
    if let regex {
      let name = unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
      if (try? regex.firstMatch(in: name)) == nil { return false }
    }
    if !excludedRegexes.isEmpty {
      let name = unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
      if excludedRegexes.contains(where: { (try? $0.firstMatch(in: name)) != nil }) { return false }
    }
    return true
  }

  /// The criteria but the regular expressions: a plain value a ``KeyFilter`` keeps inline.
  /// A `Regex`'s layout is known only to the standard library, so a ``KeySelection`` read out
  /// of the filter per key was copied, and released, through its type's metadata.
  struct Criteria: Sendable {
    var databases: Set<Int> = []
    var types: Set<DataType> = []
    var glob: GlobPattern?
    var expiry: Expiry = .any
    var excludedGlobs: [GlobPattern] = []
    var referenceTime: Int64?
    var skipsEmptyKeys = false

    /// Whether a key passes every criterion here.
    func keeps(_ key: RawSpan, info: KeyInfo, snapshotTime: Int64?) -> Bool {
      let snapshotTime = referenceTime ?? snapshotTime
      if !databases.isEmpty, !databases.contains(info.database) { return false }
      if !types.isEmpty, !types.contains(info.dataType) { return false }
      if skipsEmptyKeys, info.isEmptyAggregate { return false }
      switch expiry {
      case .any: break
      case .none: if info.expiresAt != nil { return false }
      case .expired, .live:
        let expired =
          info.expiresAt.map { expiresAt in snapshotTime.map { expiresAt < $0 } ?? false } ?? false
        if expired != (expiry == .expired) { return false }
      }
      guard glob != nil || !excludedGlobs.isEmpty else { return true }
      return unsafe key.withUnsafeBytes { unsafe keepsByGlobs($0) }
    }

    /// Whether the globs keep a key named `name`. Each pattern is matched in place, by
    /// optional chaining and by index: `Optional.map` and `contains(where:)` match a copy,
    /// which retained and released the pattern's bytes for every key.
    @inline(__always)
    func keepsByGlobs(_ name: UnsafeRawBufferPointer) -> Bool {
      if unsafe glob?.matches(unsafeBytes: name) == false { return false }
      for index in excludedGlobs.indices
      where unsafe excludedGlobs[index].matches(unsafeBytes: name) {
        return false
      }
      return true
    }
  }
}

extension Regex: @retroactive @unchecked Sendable {}

/// Passes the events of the keys a ``KeySelection`` keeps to `Next`, and skips the others'
/// values without decoding them. File-level events (header, AUX, functions, databases) always
/// pass.
public struct KeyFilter<Next: RDBHandler>: RDBHandler {
  /// The handler that receives the kept keys.
  public var next: Next
  /// The selection.
  public var selection: KeySelection { held.selection }
  /// The selection behind a reference: `KeySelection` holds `Regex` values, whose size only
  /// the standard library knows, and stored inline it made this filter's layout a run-time
  /// lookup in its type metadata at every event of every key.
  private let held: Held
  /// The selection's criteria but the regular expressions, inline.
  private let criteria: KeySelection.Criteria
  /// ``KeySelection/keepsEverything`` with empty keys kept too, judged once rather than per
  /// key.
  private let keepsEverything: Bool
  /// Whether the selection drops nothing but empty aggregates (what `memory` and `stats` ask
  /// by default), decided per key without calling ``KeySelection/keeps(_:info:snapshotTime:)``.
  private let dropsOnlyEmptyKeys: Bool
  /// ``KeySelection/hasRegexes``, judged once.
  private let checksRegexes: Bool
  private var passing = false
  /// Whether a key's events are under way (a module payload outside one is MODULE_AUX data).
  private var inKey = false
  /// What the criteria but the name and the database say of every string key without
  /// expiry (``RDBHandler/plainStrings(_:database:)``), judged once: nil
  /// when the regular expressions decide too (such records then go the general way).
  private let plainStrings: PlainStrings?
  /// The selection's globs as ``GlobPrefix`` tests, when there is at most one of each kind
  /// and each is a short prefix (`--exclude-match 'tmp:*'`): the name a record must start
  /// with (``GlobPrefix/everything`` without a glob) and the one it must not
  /// (``GlobPrefix/nothing`` without an excluded glob).
  private let namePrefixes: (keep: GlobPrefix, drop: GlobPrefix)?
  // After the flags: declared before them, its tag was read per key with a 4-byte load over
  // the flag bytes just stored, which waited for those stores (a store-forwarding stall).
  private var snapshotTime: Int64?

  /// Filters the events for `next`.
  public init(_ next: Next, selection: KeySelection) {
    self.next = next
    held = Held(selection)
    criteria = selection.criteria
    keepsEverything = selection.keepsEverything && !selection.skipsEmptyKeys
    dropsOnlyEmptyKeys = selection.keepsEverything && selection.skipsEmptyKeys
    checksRegexes = selection.hasRegexes
    if selection.keepsEverything {
      plainStrings = .kept
    } else if checksRegexes {
      plainStrings = nil
    } else if selection.expiry == .expired
      || !(selection.types.isEmpty || selection.types.contains(.string))
    {
      plainStrings = .dropped
    } else {
      plainStrings = .byName
    }
    let keep: GlobPrefix? = if let glob = selection.glob { glob.shortPrefix } else { .everything }
    let drop: GlobPrefix? =
      switch selection.excludedGlobs.count {
      case 0: .nothing
      case 1: selection.excludedGlobs[0].shortPrefix
      default: nil
      }
    if let keep, let drop { namePrefixes = (keep, drop) } else { namePrefixes = nil }
  }

  /// What ``plainStrings`` says.
  private enum PlainStrings {
    /// Every one is kept.
    case kept
    /// None is (a string or expiry criterion leaves them out).
    case dropped
    /// The name and the database decide.
    case byName
  }

  public static var needsStringValues: Bool { Next.needsStringValues }
  public static var needsElements: Bool { Next.needsElements }
  public static var needsPackedElements: Bool { Next.needsPackedElements }
  public static var needsPackedElementCounts: Bool { Next.needsPackedElementCounts }
  public static var needsPackedElementLengths: Bool { Next.needsPackedElementLengths }
  public static var measuresPackedBlobsAside: Bool { Next.measuresPackedBlobsAside }
  public static var restartsCleanly: Bool { Next.restartsCleanly }
  public static var needsModulePayloads: Bool { Next.needsModulePayloads }
  public static var takesPlainStrings: Bool { Next.takesPlainStrings }

  public mutating func header(_ version: RDBVersion) throws(RDBError) { try next.header(version) }
  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if let time = AuxField.snapshotTime(key: key, value: value) { snapshotTime = time }
    try next.aux(key: key, value: value)
  }
  public mutating func function(code: RawSpan) throws(RDBError) { try next.function(code: code) }
  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {
    try next.moduleAux(module)
  }
  public mutating func beginDatabase(_ index: Int) throws(RDBError) {
    try next.beginDatabase(index)
  }
  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {
    try next.resizeDatabase(keys: keys, expires: expires)
  }
  public mutating func slotHint(_ hint: SlotHint) throws(RDBError) {
    try next.slotHint(hint)
  }

  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    if passing || !inKey { try next.modulePayload(bytes) }
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    inKey = true
    passing =
      keepsEverything || (dropsOnlyEmptyKeys && !info.isEmptyAggregate)
      || (!dropsOnlyEmptyKeys
        && criteria.keeps(key, info: info, snapshotTime: snapshotTime)
        && (!checksRegexes || held.selection.keepsByRegexes(key)))
    guard passing else { return .skip }
    let decision = try next.beginKey(key, info: info)
    if decision == .skip { passing = false }
    return decision
  }

  /// Passes on the records kept, as ``keeps(_:info:snapshotTime:)`` would judge them one by
  /// one: the type and expiry criteria, the same for all, were judged at the start
  /// (``plainStrings``); a database left out drops the whole run; the globs judge each name.
  /// Each stretch of kept records goes on as one run.
  public mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    switch plainStrings {
    case .kept?: return try next.plainStrings(run, database: database)
    case .dropped?: return run.count
    case nil: return 0
    case .byName?: break
    }
    if !criteria.databases.isEmpty, !criteria.databases.contains(database) { return run.count }
    // The first record of the kept stretch under way.
    var keptFirst = 0
    while true {
      let dropped = firstDropped(in: run, from: keptFirst)
      if keptFirst < dropped {
        let stretch = run.records(keptFirst..<dropped)
        let taken = try next.plainStrings(stretch, database: database)
        if taken < stretch.count { return keptFirst &+ taken }
      }
      guard dropped < run.count else { return run.count }
      keptFirst = dropped &+ 1
    }
  }

  /// The first record from `start` on whose name the globs leave out, or `run.count`: with
  /// short prefixes (``namePrefixes``), a loop per kind of test with no call in it, over the
  /// records whose names have 16 bytes in the window, then the general test for any left.
  private func firstDropped(in run: PlainStringRun, from start: Int) -> Int {
    var index = start
    if let (keep, drop) = namePrefixes {
      let within16 = run.countWithin16()
      if index < within16 {
        index =
          if keep.isEverything {
            unsafe run.firstRecord(from: index, below: within16) {
              unsafe drop.matches($0, count: $1)
            }
          } else if drop.isNothing {
            unsafe run.firstRecord(from: index, below: within16) {
              unsafe !keep.matches($0, count: $1)
            }
          } else {
            unsafe run.firstRecord(from: index, below: within16) {
              unsafe !keep.matches($0, count: $1) || drop.matches($0, count: $1)
            }
          }
        if index < within16 { return index }
      }
    }
    while index < run.count, unsafe criteria.keepsByGlobs(run.name(index)) { index &+= 1 }
    return index
  }

  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    if passing { try next.keyMetadata(metadata, payload: payload) }
  }
  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    if passing { try next.beginValue(encoding: encoding) }
  }
  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) {
    if passing { try next.rawValue(bytes) }
  }
  public mutating func largestPackedElement(_ byteCount: Int) throws(RDBError) {
    if passing { try next.largestPackedElement(byteCount) }
  }
  public mutating func takesPackedBlobAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    guard passing else { return false }
    return try next.takesPackedBlobAside(releaseHold: releaseHold)
  }
  public mutating func takesStreamNodesAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    guard passing else { return false }
    return try next.takesStreamNodesAside(releaseHold: releaseHold)
  }
  public mutating func takesHashTableAside(count: UInt64, releaseHold: ReleaseHold?)
    throws(RDBError) -> Bool
  {
    guard passing else { return false }
    return try next.takesHashTableAside(count: count, releaseHold: releaseHold)
  }
  public mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError) {
    if passing { try next.packedBlobAside(blob) }
  }
  public mutating func finishPackedBlobsAside() throws(RDBError) -> [RDBWarning] {
    try next.finishPackedBlobsAside()
  }
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {
    if passing { try next.valueBlob(blob) }
  }
  public mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool {
    passing ? try next.listpackListNode(node) : false
  }
  public mutating func streamNode(_ node: RawSpan, master: StreamID, after previous: StreamID?)
    throws(RDBError) -> WrittenStreamNode?
  {
    passing ? try next.streamNode(node, master: master, after: previous) : nil
  }
  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {
    if passing { try next.stringLength(byteCount) }
  }
  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    if passing { try next.stringValue(value) }
  }
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    if passing { try next.listElement(element) }
  }
  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    if passing { try next.setMember(member) }
  }
  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    if passing { try next.sortedSetMember(member, score: score) }
  }
  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    if passing { try next.hashField(field, value: value, expiresAt: expiresAt) }
  }
  public mutating func hashField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    if passing { try next.hashField(field, integer: value) }
  }
  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    if passing { try next.beginStreamEntry(id: id, fieldCount: fieldCount) }
  }
  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    if passing { try next.streamField(field, value: value) }
  }
  public mutating func streamField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    if passing { try next.streamField(field, integer: value) }
  }
  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    if passing { try next.streamMetadata(metadata) }
  }
  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    if passing { try next.beginStreamGroup(name: name, info: info) }
  }
  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    if passing {
      try next.streamPendingEntry(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
    }
  }
  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  {
    if passing { try next.beginStreamConsumer(name: name, info: info) }
  }
  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    if passing { try next.streamConsumerPending(id: id) }
  }
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    if passing { try next.streamIdempotency(settings) }
  }
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    if passing { try next.beginStreamProducer(id: id, entryCount: entryCount) }
  }
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    if passing { try next.streamProducerEntry(iid: iid, id: id) }
  }
  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    if passing {
      try next.streamIdempotencyTotals(iidsAdded: iidsAdded, iidsDuplicates: iidsDuplicates)
    }
  }
  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    if passing { try next.moduleValue(module) }
  }
  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    if passing { try next.beginVectorSet(info) }
  }
  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    if passing {
      try next.vectorSetElement(element, vector: vector, attributes: attributes, info: info)
    }
  }
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    if passing { try next.endKey(summary) }
    passing = false
    inKey = false
  }

  /// Holds the selection for ``held``.
  private final class Held: Sendable {
    let selection: KeySelection
    init(_ selection: KeySelection) { self.selection = selection }
  }
}
