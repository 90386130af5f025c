/// The packed blob of the target format: a listpack from RDB 10, a ziplist before. Every
/// value that is one packed blob (small hashes, sets and sorted sets, quicklist nodes) is
/// built through this, so the choice is made once.
struct PackedEncoder {
  private var listpack = ListpackEncoder()
  private var ziplist: ZiplistEncoder
  /// A score's text, before it is appended.
  private let scoreText = BlobBytes()
  /// Whether the blobs are listpacks.
  let usesListpacks: Bool

  /// The encoder of `format`'s packed blobs.
  init(_ format: WriteFormat) {
    usesListpacks = format.hasListpacks
    ziplist = ZiplistEncoder(compactIntegers: format.hasCompactZiplistIntegers)
  }

  /// The blob so far; complete after ``finish()``.
  var blob: BlobBytes { usesListpacks ? listpack.blob : ziplist.blob }

  /// Empties the blob, keeping its storage.
  mutating func reset() {
    if usesListpacks { listpack.reset() } else { ziplist.reset() }
  }

  /// Appends a string element (an integer when it spells one, as each format stores it).
  mutating func append(_ element: RawSpan) {
    if usesListpacks { listpack.append(element) } else { ziplist.append(element) }
  }

  /// Appends a string element from a buffer; see ``append(_:)``.
  @unsafe mutating func append(unsafeBytes element: UnsafeRawBufferPointer) {
    if usesListpacks {
      unsafe listpack.append(unsafeBytes: element)
    } else {
      unsafe ziplist.append(unsafeBytes: element)
    }
  }

  /// Appends a string element of at most 63 bytes; see ``append(_:)``.
  @inline(__always)
  @unsafe mutating func append(shortString element: UnsafeRawBufferPointer) {
    if usesListpacks {
      unsafe listpack.append(unsafeBytes: element)
    } else {
      unsafe ziplist.appendShortString(element)
    }
  }

  /// Appends an integer element.
  mutating func append(integer value: Int64) {
    if usesListpacks { listpack.append(integer: value) } else { ziplist.append(integer: value) }
  }

  /// Appends a sorted-set score: as an integer when its text is one, else as text.
  mutating func append(score: Double) {
    if let integer = ScoreText.integer(of: score) {
      append(integer: integer)
      return
    }
    scoreText.removeAll()
    ScoreText.appendNonInteger(score, to: scoreText)
    unsafe append(unsafeBytes: scoreText.buffer)
  }

  /// Completes the blob.
  mutating func finish() {
    if usesListpacks { listpack.finish() } else { ziplist.finish() }
  }
}
