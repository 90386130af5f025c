/// The first pass of the duplicate-key check over inputs that can be read twice: it reads the
/// key names only (every value is skipped by its length) and finds which occurrences the
/// writing pass must leave out, keeping a 64-bit fingerprint per key instead of every name.
///
/// Pass 1 puts each key's fingerprint (output database and name, ``KeyFingerprints``) in a
/// table; a fingerprint met twice makes that fingerprint a suspect. Most datasets end there
/// with no suspect, and the writing pass checks nothing. Suspects are confirmed on their
/// exact names, never on fingerprints alone, so a collision of two different names cannot
/// drop or reject a key:
/// - `error` and `first`: the writing pass keeps the exact names of suspect keys only
///   (``duplicates``) and finds the repeats as it meets them;
/// - `last`: a second key-name pass (``beginConfirmation()``) notes, for each exact name of a
///   suspect, its last occurrence; every earlier one is left out by its position in the
///   key sequence.
///
/// Feed every pass the same inputs in the same order through the same ``KeyFilter``
/// selection, so that positions agree with the writing pass.
///
///     var scan = KeyFilter(DuplicateKeyScan(policy: .last, options: options), selection: selection)
///     for path in paths { try RDBParser().parse(path: path, into: &scan) }
///     if scan.next.needsConfirmation {
///       scan.next.beginConfirmation()
///       for path in paths { try RDBParser().parse(path: path, into: &scan) }
///     }
///     var merger = DatasetMerger(writer, duplicates: scan.next.duplicates)
public struct DuplicateKeyScan: RDBHandler {
  public static var needsStringValues: Bool { false }
  public static var needsElements: Bool { false }
  public static var restartsCleanly: Bool { true }

  /// The policy the scan plans for.
  public let policy: DuplicateKeyPolicy
  private let options: RDBWriter.Options
  private var fingerprints = KeyFingerprints()
  /// The fingerprints met more than once (a flat table too: with many duplicates, many).
  private var suspects = KeyFingerprints(capacity: 16)
  private var confirming = false
  private var position = 0
  /// Pass 2: the last position of each suspect's exact name so far.
  private var lastPositions = KeyNameTable()
  /// Pass 2: the positions of occurrences a later one replaces.
  private var replaced = PositionBits()

  /// A scan for `policy`, with output databases as `options` maps them.
  public init(policy: DuplicateKeyPolicy, options: RDBWriter.Options) {
    self.policy = policy
    self.options = options
  }

  /// The keys read in the current pass.
  public var keysRead: Int { position }

  /// How many fingerprints occurred more than once in pass 1.
  public var suspectCount: Int { suspects.count }

  /// Whether `last` needs the confirming second pass: some fingerprint repeated.
  public var needsConfirmation: Bool { policy == .last && suspects.count > 0 && !confirming }

  /// Starts pass 2 (`last` only): the same inputs again.
  public mutating func beginConfirmation() {
    confirming = true
    position = 0
    // Pass 2 needs the suspects only; the table goes, the hash stays.
    fingerprints.removeAll()
  }

  /// The check the writing pass applies (``DatasetMerger``).
  public var duplicates: DuplicateKeys {
    if policy == .last {
      return DuplicateKeys(leavingOut: replaced, options: options)
    }
    return DuplicateKeys(
      suspects: suspects, hasher: fingerprints.hasher, policy: policy, options: options)
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    defer { position += 1 }
    // Empty aggregates are left out by the writer, so they are no copies (``DuplicateKeys``).
    guard !info.isEmptyAggregate else { return .skip }
    let database = RDBWriter.database(for: info.database, options: options)
    let fingerprint = fingerprints.fingerprint(key, database: database)
    guard confirming else {
      if fingerprints.insert(fingerprint) { suspects.insert(fingerprint) }
      return .skip
    }
    guard suspects.contains(fingerprint) else { return .skip }
    if let earlier = lastPositions.update(
      key, database: database, fingerprint: fingerprint, value: position)
    {
      replaced.insert(earlier)
    }
    return .skip
  }
}
