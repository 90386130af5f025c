/// The duplicate-key check of a writing pass: for each key, in input order, whether it is
/// written, left out (counted in ``losses``) or an error, by a ``DuplicateKeyPolicy``.
///
/// Three forms, from the lightest:
/// - after a ``DuplicateKeyScan`` for `last`: the positions in the key sequence to leave out;
/// - after a ``DuplicateKeyScan`` for `error` or `first`: the fingerprints that repeated, and
///   the exact names of the keys that have them, so only suspects are remembered;
/// - ``init(exact:options:)``, for inputs read only once (standard input, or S3 objects not
///   worth a second download): the exact name of every key.
///
/// ``DatasetMerger`` applies it; the keys must reach it through the same selection as they
/// reached the scan.
public struct DuplicateKeys: Sendable {
  private enum Form: Sendable {
    case leavingOut(PositionBits)
    case suspects(KeyFingerprints)
    case exact
  }

  private let form: Form
  private let policy: DuplicateKeyPolicy
  private let options: RDBWriter.Options
  private var position = 0
  /// The fingerprints' hash: the scan's, so that suspects are recognized.
  private let hasher: SeededHash
  /// The exact names met so far (``Form/suspects``: of suspects only).
  private var seen = KeyNameTable()
  /// The keys left out, counted as ``LossReport/Kind/duplicateKeys``.
  public private(set) var losses = LossReport()

  /// A check that remembers every key name: for inputs that cannot be read twice.
  ///
  /// - Precondition: `policy` is `error` or `first` (`last` needs a ``DuplicateKeyScan``).
  public init(exact policy: DuplicateKeyPolicy, options: RDBWriter.Options) {
    precondition(policy != .last, "--on-duplicate last needs a DuplicateKeyScan first")
    form = .exact
    hasher = SeededHash()
    self.policy = policy
    self.options = options
  }

  init(
    suspects: KeyFingerprints, hasher: SeededHash, policy: DuplicateKeyPolicy,
    options: RDBWriter.Options
  ) {
    form = .suspects(suspects)
    self.hasher = hasher
    self.policy = policy
    self.options = options
  }

  init(leavingOut positions: PositionBits, options: RDBWriter.Options) {
    form = .leavingOut(positions)
    hasher = SeededHash()
    policy = .last
    self.options = options
  }

  /// Whether the next key of the sequence is written.
  ///
  /// - Throws: ``RDBError`` naming the key when the policy is `error` and its name is
  ///   already in its output database.
  public mutating func keeps(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> Bool {
    defer { position += 1 }
    // The writer leaves an empty aggregate out (a loading server skips it): it is no copy.
    guard !info.isEmptyAggregate else { return true }
    let database = RDBWriter.database(for: info.database, options: options)
    switch form {
    case .leavingOut(let positions):
      guard positions.contains(position) else { return true }
    case .suspects(let suspects):
      let fingerprint = KeyFingerprints.fingerprint(key, database: database, hasher: hasher)
      guard suspects.contains(fingerprint), isRepeat(key, database: database, fingerprint)
      else { return true }
    case .exact:
      let fingerprint = KeyFingerprints.fingerprint(key, database: database, hasher: hasher)
      guard isRepeat(key, database: database, fingerprint) else { return true }
    }
    guard policy != .error else {
      let text = unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
      throw RDBError(
        .invalidValue(
          "key \"\(text)\" (input database \(info.database)) is already in output "
            + "database \(database), from an earlier input or database"),
        at: info.offset, key: text)
    }
    losses.record(.duplicateKeys, key: key)
    return false
  }

  /// Whether `key` in `database` was met before; remembers it when not.
  private mutating func isRepeat(_ key: RawSpan, database: Int, _ fingerprint: UInt64) -> Bool {
    seen.update(key, database: database, fingerprint: fingerprint, value: 0) != nil
  }
}
