/// What a rewrite does with a key whose name its output database already holds (several
/// inputs read as one dataset, or databases merged by `--single-db` or `--db-map`).
public enum DuplicateKeyPolicy: String, Sendable, CaseIterable {
  /// Stop with an error naming the key.
  case error
  /// Keep the first occurrence (in input order, then file order), leave out the later ones
  /// (counted as a loss).
  case first
  /// Keep the last occurrence (in input order, then file order), leave out the earlier ones
  /// (counted as a loss). Which occurrences those are is only known after every key name was
  /// read, so this needs a first pass over the key names (``DuplicateKeyScan``).
  case last
}
