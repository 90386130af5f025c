import Synchronization

/// How far a parse has got, readable from another thread (a progress bar).
///
/// The byte sources publish their position about every MiB, so following progress costs the
/// parse nothing per key.
public final class ParseProgress: Sendable {
  private let read = Atomic<Int>(0)
  private let total = Atomic<Int>(-1)

  /// Creates a counter at zero with an unknown total.
  public init() {}

  /// Bytes consumed so far.
  public var bytesRead: Int { read.load(ordering: .relaxed) }

  /// The input's size, when known (a mapped file), else nil.
  public var totalBytes: Int? {
    let value = total.load(ordering: .relaxed)
    return value < 0 ? nil : value
  }

  func update(bytesRead: Int) { read.store(bytesRead, ordering: .relaxed) }

  /// Records the input's size when it is known before the parse (an S3 object's length).
  public func expectTotal(_ bytes: Int) { total.store(bytes, ordering: .relaxed) }

  /// Forgets the expected size: the bytes parsed are not the bytes read (a compressed input).
  func forgetTotal() { total.store(-1, ordering: .relaxed) }
}
