import RDBKit
import RDBS3

/// The duplicate-key check of a writing command (`rewrite`, `split`, `merge`), prepared
/// before anything is written.
///
/// Local files are read twice: a key-name pass (``DuplicateKeyScan``, values skipped) keeps
/// 8-byte fingerprints, and the writing pass then remembers the exact names of the few keys
/// whose fingerprints repeated (`--on-duplicate last`: a second key-name pass when some
/// did). Standard input cannot be read twice, and S3 objects would be downloaded twice, so
/// for those the writing pass remembers every key name instead; `last` reads S3 objects
/// twice all the same.
enum DuplicateKeyPlanning {
  /// The check for `policy` over `sources`, or nil when `policy` is nil.
  /// - Throws: `ExitCode.failure` (after printing why) when a key-name pass fails, or when
  ///   `error` finds a duplicate there.
  static func check(
    policy: DuplicateKeyPolicy?, sources: [InputSource], options: RDBWriter.Options,
    selection: KeySelection, client: S3Client?, input: InputOptions
  ) throws -> DuplicateKeys? {
    guard let policy else { return nil }
    guard policy == .last || sources.allSatisfy(\.isLocalFile) else {
      return DuplicateKeys(exact: policy, options: options)
    }
    var scan = KeyFilter(DuplicateKeyScan(policy: policy, options: options), selection: selection)
    for source in sources {
      try ParseRun.parse(source, into: &scan, client: client, options: input, quiet: true)
    }
    if scan.next.needsConfirmation {
      scan.next.beginConfirmation()
      for source in sources {
        try ParseRun.parse(source, into: &scan, client: client, options: input, quiet: true)
      }
    }
    return scan.next.duplicates
  }
}
