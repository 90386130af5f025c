import CAllocator

/// The allocator's settings for the whole process, made before any command runs.
///
/// By default glibc raises its mapping threshold to the size of each mapped block freed (up
/// to 32 MiB), after which blocks of a few MiB (the batches of `dump` and their text, a
/// large value's copy) come from an arena and stay resident when freed, in each thread's
/// arena: `dump --format jsonl` of `aggregates` with another process busy on a core reached
/// a peak RSS of 63-77 MiB. Fixed, such blocks are unmapped when freed (55-59 MiB); the trim
/// threshold is fixed above its default so that the arenas do not give back and fault in
/// again their top at every free (3,000 more `madvise` calls and 4 % more time).
enum AllocatorSettings {
  /// Blocks of this size or more are mapped apart and unmapped when freed.
  static let mmapThreshold: Int32 = 512 << 10
  /// An arena gives back the free memory at its top past this.
  static let trimThreshold: Int32 = 4 << 20

  /// Fixes both thresholds.
  static func apply() {
    _ = rdb_fix_allocator_thresholds(mmapThreshold, trimThreshold)
  }
}
