import SystemPackage

/// A streaming parser for Redis and Valkey RDB files (RDB 1–13 and Valkey 80).
///
/// The parser reads the input once, front to back, and reports what it finds to an
/// ``RDBHandler`` as it goes; it never holds more than the record it is decoding. Over a
/// mapped file, keys and raw elements are handed to the handler as views into the mapping
/// with no copy; decompressed strings and integers rendered as text live in scratch buffers
/// the parser reuses. Over a pipe or a socket, the same decoder runs over a refilled buffer
/// (for a descriptor, the chunks a thread reads ahead, see ``ReadAhead``).
///
/// The CRC-64 is computed over the bytes as they are consumed and checked against the
/// trailer; any structural problem, short read or checksum mismatch throws an ``RDBError``
/// naming the byte offset and the key.
///
///     let file = try MappedFile(path: "dump.rdb")
///     var counter = KeyCounter()
///     let summary = try RDBParser().parse(file, into: &counter)
///
/// Encodings reported for values are `OBJECT ENCODING` names of what the file holds: the
/// on-disk structure (`listpack`, `ziplist`, `intset`, `hashtable`, `skiplist`, `quicklist`,
/// `listpackex`, `zipmap`, `linkedlist`, `stream`), except strings, named by the rule a server
/// applies on load (`int`, `embstr` up to 44 bytes, `raw`), and a Redis 7.2+ list saved as one
/// packed node of at most 8 KiB, which the server keeps as a `listpack`.
public struct RDBParser: Sendable {
  /// Where the parse publishes how far it has got, if anyone is watching.
  public var progress: ParseProgress?

  /// Whether every value is decompressed and walked, whatever the handler reads: what
  /// `verify --deep` and `redis-check-rdb` do. When false (the default), a file that ends in
  /// a CRC-64 has the compressed strings and packed values a handler does not read left to
  /// it, their sizes and headers checked (``RDBHandler/needsStringValues``,
  /// ``RDBHandler/needsPackedElements``).
  public var decodesEverything: Bool

  /// Whether a sequential parse checks a set, hash or sorted set stored as a hash table or
  /// skip list of ``hashedValueElements`` elements or more (as its header says) for a
  /// repeated field or member by the elements' 64-bit seeded hashes, sorted at the value's
  /// end (and, past 65,536, whenever their number has doubled), as it checks a value past
  /// the exact table's limits, instead of in the table: a repeat is then reported at the
  /// value's end, and two different elements are taken for one with a probability under
  /// *n*²/2⁶⁵. The table's index, probed at random, misses the cache once a value has a few
  /// thousand elements; the hashes are written in order. For a parse whose only finding that
  /// matters is whether the file reads back (a rewrite's new file); false by default.
  public var hashesLargeValues = false

  /// The header count from which ``hashesLargeValues`` applies.
  public static let hashedValueElements = 256

  /// Creates a parser; pass `progress` to follow a long parse from another thread, and
  /// `decodesEverything` to decode what the handler does not read.
  public init(progress: ParseProgress? = nil, decodesEverything: Bool = false) {
    self.progress = progress
    self.decodesEverything = decodesEverything
  }

  /// Parses a mapped file.
  ///
  /// - Complexity: O(file size); memory is bounded by the largest decompressed value.
  @discardableResult
  public func parse<H: RDBHandler>(_ file: borrowing MappedFile, into handler: inout H)
    throws(RDBError) -> ParseSummary
  {
    unsafe try file.withUnsafeBytes { (bytes) throws(RDBError) in
      try unsafe parse(unsafeBytes: bytes, releasesPages: true, into: &handler)
    }
  }

  /// Parses an RDB image held in memory.
  @discardableResult
  public func parse<H: RDBHandler>(_ bytes: [UInt8], into handler: inout H)
    throws(RDBError) -> ParseSummary
  {
    let result: Result<ParseSummary, RDBError> = unsafe bytes.withUnsafeBytes { bytes in
      do throws(RDBError) {
        return .success(try unsafe parse(unsafeBytes: bytes, releasesPages: false, into: &handler))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Parses a sequential input (a pipe, a socket, an HTTP body) through a refilled buffer;
  /// a gzip or zstd input is decompressed as it is read (``DecompressingInput``).
  ///
  /// With `leavingStringsToChecksum`, a handler that needs no string values has compressed
  /// strings stepped over as in a mapped file, their bytes left to the CRC-64; with
  /// `leavingPackedValuesToChecksum` as well, a handler that needs no packed elements has
  /// compressed packed values left to it too (``RDBHandler/needsPackedElements``). A damaged
  /// one is then reported as a checksum mismatch, not as its own error, and a zero trailer
  /// leaves them unchecked (``ParseSummary/uncheckedStrings``,
  /// ``ParseSummary/uncheckedPackedValues``): the caller says so, or reads the input again.
  @discardableResult
  public func parse<I: ByteInput, H: RDBHandler>(
    input: I, leavingStringsToChecksum: Bool = false,
    leavingPackedValuesToChecksum: Bool = false, into handler: inout H
  ) throws(RDBError) -> ParseSummary {
    let decompressing = DecompressingInput(input, progress: progress)
    return try parse(
      refill: StreamRefill(input: decompressing),
      leavingStringsToChecksum: leavingStringsToChecksum,
      leavingPackedValuesToChecksum: leavingPackedValuesToChecksum, into: &handler)
  }

  /// Parses a stream through `refill`, as
  /// ``parse(input:leavingStringsToChecksum:leavingPackedValuesToChecksum:into:)`` says.
  private func parse<H: RDBHandler>(
    refill: StreamRefill, leavingStringsToChecksum: Bool, leavingPackedValuesToChecksum: Bool,
    into handler: inout H
  ) throws(RDBError) -> ParseSummary {
    var decoder = Decoder(source: ByteSource(refill: refill, progress: progress))
    defer { decoder.release() }
    decoder.leavesStringsToChecksum =
      leavingStringsToChecksum && !H.needsStringValues && !decodesEverything
    decoder.leavesBlobsToChecksum = leavingPackedValuesToChecksum
    if hashesLargeValues { decoder.duplicates.hashesElementsFrom = Self.hashedValueElements }
    return try decoder.run(&handler)
  }

  /// Parses the file at `path`, or standard input for `-`: a regular file is mapped, anything
  /// else (and a gzip or zstd file) is read sequentially, a pipe or a socket by a thread of its
  /// own a few MiB ahead of the parse (``ReadAhead``), with `leavingToChecksum` passed as
  /// both `leavingStringsToChecksum` and `leavingPackedValuesToChecksum` of
  /// ``parse(input:leavingStringsToChecksum:leavingPackedValuesToChecksum:into:)``.
  ///
  /// - Throws: `Errno` when the file cannot be opened or is a directory, ``RDBError`` for bad
  ///   data.
  @discardableResult
  public func parse<H: RDBHandler>(
    path: String, leavingToChecksum: Bool = false, into handler: inout H
  ) throws -> ParseSummary {
    let descriptor =
      path == "-"
      ? FileDescriptor.standardInput : try FileDescriptor.open(FilePath(path), .readOnly)
    defer { if path != "-" { try? descriptor.close() } }
    if MappedFile.isDirectory(descriptor) { throw Errno.isDirectory }
    if MappedFile.isRegularFile(descriptor) {
      let file = try MappedFile(descriptor: descriptor)
      let magic = unsafe file.withUnsafeBytes { unsafe Array($0.prefix(Compression.longestMagic)) }
      if Compression.detect(magic) == nil { return try parse(file, into: &handler) }
    }
    guard let ahead = ReadAhead(descriptor: descriptor) else {
      return try parse(
        input: FileDescriptorInput(descriptor: descriptor),
        leavingStringsToChecksum: leavingToChecksum,
        leavingPackedValuesToChecksum: leavingToChecksum, into: &handler)
    }
    defer { ahead.stop() }
    if Compression.detect(ahead.peek(upTo: Compression.longestMagic)) != nil {
      return try parse(
        input: ReadAheadInput(ahead), leavingStringsToChecksum: leavingToChecksum,
        leavingPackedValuesToChecksum: leavingToChecksum, into: &handler)
    }
    return try parse(
      refill: StreamRefill(ahead: ahead), leavingStringsToChecksum: leavingToChecksum,
      leavingPackedValuesToChecksum: leavingToChecksum, into: &handler)
  }

  /// Parses bytes in memory. A handler that does not need string values (or packed
  /// elements) lets compressed strings (and packed values) be left to the checksum; if the
  /// file turns out to have none, the parse runs again, from the handler as it was,
  /// decompressing everything.
  @unsafe private func parse<H: RDBHandler>(
    unsafeBytes bytes: UnsafeRawBufferPointer, releasesPages: Bool, into handler: inout H
  ) throws(RDBError) -> ParseSummary {
    let leaves = !H.needsStringValues && !decodesEverything
    let pristine = leaves && H.restartsCleanly ? handler : nil
    var decoder = unsafe Decoder(
      source: ByteSource(bytes: bytes, releasesPages: releasesPages, progress: progress))
    defer { decoder.release() }
    decoder.leavesStringsToChecksum = leaves
    decoder.leavesBlobsToChecksum = leaves
    let summary: ParseSummary
    do {
      summary = try decoder.run(&handler)
    } catch {
      // A compressed value left to the checksum may be damaged before this error (and be its
      // cause): report the first damage in the file as a parse that decodes everything names
      // it (its own finding when both stop at the same byte).
      // Blobs measured aside are alike: a later record's error may surface before theirs.
      guard
        decoder.stringsLeftToChecksum > 0 || decoder.blobsLeftToChecksum > 0
          || decoder.blobsMeasuredAside > 0
      else {
        throw error
      }
      var probe = DamageProbe()
      var thorough = unsafe Decoder(
        source: ByteSource(bytes: bytes, releasesPages: false, progress: nil))
      defer { thorough.release() }
      do {
        _ = try thorough.run(&probe)
      } catch let earlier where earlier.offset <= error.offset {
        throw earlier
      } catch {}
      throw error
    }
    if summary.checksum == .notChecked, summary.uncheckedPackedValues > 0,
      H.needsPackedElementLengths, !H.needsPackedElements
    {
      // Blobs walked for their lengths only (``Decoder/measuresBlobsLightly(_:)``) in a file
      // whose last 8 bytes were not its trailer (bytes follow the RDB) and whose trailer is
      // zero: what the checksum was to prove is looked for now, by a parse that decodes
      // everything, as verify's is read again.
      var probe = DamageProbe()
      var thorough = unsafe Decoder(
        source: ByteSource(bytes: bytes, releasesPages: releasesPages, progress: nil))
      defer { thorough.release() }
      _ = try thorough.run(&probe)
    }
    guard let pristine, summary.uncheckedStrings > 0 || summary.uncheckedPackedValues > 0,
      summary.checksum == .notChecked
    else {
      return summary
    }
    handler = pristine
    var thorough = unsafe Decoder(
      source: ByteSource(bytes: bytes, releasesPages: releasesPages, progress: progress))
    defer { thorough.release() }
    return try thorough.run(&handler)
  }
}

/// Decodes every string, blob and element and keeps nothing: run again over a file whose
/// parse failed, to find a damaged compressed value the first parse left to the checksum.
private struct DamageProbe: RDBHandler {
  static var needsStringValues: Bool { false }
}
