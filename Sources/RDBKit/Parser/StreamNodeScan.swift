/// One pass over a stream node's listpack for ``Decoder/measureStreamNode(_:master:counting:origin:)``:
/// what its walk sums up (live entries, first and last IDs, the longest element of a live
/// entry, the elements read), found without building an element or raising an error.
///
/// It reads only what a well-formed node holds: integers where the walk wants integers,
/// elements whose back-length is written as the server writes it, entries in ID order. Where
/// a node departs from that (damage, a count written as text, an entry out of order, a
/// back-length in an unusual form) ``scan(_:master:)`` gives up and returns nil, and the
/// caller walks the node with ``Decoder/readStreamNode(_:master:walk:origin:into:)``, which
/// names the damage, or accepts the node, exactly as before. So for every node it accepts, it
/// finds what that walk finds: it is that walk without its elements, its error messages and
/// its handler, its position kept in a register from element to element.
@safe struct StreamNodeScan {
  /// The longest field name or value of a live entry, as
  /// ``Decoder/readStreamNode(_:master:walk:origin:into:)`` measures it.
  var largest = 0
  var liveEntries: UInt64 = 0
  /// The first and the last entry's IDs (nil without entries).
  var firstID: StreamID?
  var lastID: StreamID?
  /// The elements read: the count the header's is compared with.
  var elements = 0

  /// Scans the node `bytes` whose master ID is `master`; nil when it is not one this scan
  /// reads (see the type's description).
  @unsafe static func scan(_ bytes: UnsafeRawBufferPointer, master: StreamID) -> StreamNodeScan? {
    // The checks of ``ListpackReader/init(_:origin:checksCount:)``, and a node not empty.
    let byteCount = bytes.count
    guard byteCount > 7, byteCount <= Int(UInt32.max), let base = bytes.baseAddress,
      unsafe bytes.littleEndian(at: 0, as: UInt32.self) == UInt32(truncatingIfNeeded: byteCount),
      unsafe bytes[byteCount &- 1] == 0xFF
    else { return nil }
    // Each read returns the offset after its element, 0 when it does not read it.
    let end = byteCount &- 1
    var position = 6
    var count = 0
    var value: Int64
    (position, value) = unsafe integer(base, position, end)
    let live = value
    (position, value) = unsafe integer(base, position, end)
    let (total, overflow) = live.addingReportingOverflow(value)
    (position, value) = unsafe integer(base, position, end)
    let masterFieldCount = value
    guard position > 0, total >= 0, !overflow, masterFieldCount >= 0,
      masterFieldCount <= Int64(UInt32.max)
    else { return nil }
    count &+= 3
    var longestMasterField = 0
    var index: Int64 = 0
    while index < masterFieldCount {
      let length: Int
      (position, length) = unsafe masterField(base, position, end, beyond: longestMasterField)
      guard position > 0 else { return nil }
      longestMasterField = max(longestMasterField, length)
      index &+= 1
    }
    count &+= Int(masterFieldCount)
    (position, value) = unsafe integer(base, position, end)
    guard position > 0, value == 0 else { return nil }
    count &+= 1
    var scan = StreamNodeScan()
    let sizes = unsafe Self.elementSizes
    var largest = 0
    var liveEntries: UInt64 = 0
    var previous = (milliseconds: UInt64(0), sequence: UInt64(0))
    var entry: Int64 = 0
    while entry < total {
      // The reads below are given a position other than 0: each is checked as it returns.
      (position, value) = unsafe smallInteger(base, position, end)
      guard position > 0 else { return nil }
      let flags = value
      (position, value) = unsafe smallInteger(base, position, end)
      guard position > 0 else { return nil }
      let milliseconds = master.milliseconds &+ UInt64(bitPattern: value)
      (position, value) = unsafe smallInteger(base, position, end)
      guard position > 0 else { return nil }
      let sequence = master.sequence &+ UInt64(bitPattern: value)
      if entry > 0 {
        // Out of order: the walk notes it.
        guard
          milliseconds > previous.milliseconds
            || (milliseconds == previous.milliseconds && sequence > previous.sequence)
        else { return nil }
      } else {
        scan.firstID = StreamID(milliseconds: milliseconds, sequence: sequence)
      }
      previous = (milliseconds, sequence)
      let sameFields = flags & 2 != 0
      var fieldCount = masterFieldCount
      if !sameFields {
        (position, fieldCount) = unsafe smallInteger(base, position, end)
        guard position > 0, fieldCount >= 0, fieldCount <= Int64(UInt32.max) else { return nil }
      }
      let elements = sameFields ? fieldCount : fieldCount &* 2
      // A deleted entry's elements are stepped over as those of an entry whose longest
      // element is already known to be longer than any integer's text.
      let deleted = flags & 1 != 0
      var longest = deleted ? 20 : largest
      if !deleted {
        liveEntries &+= 1
        if sameFields, fieldCount > 0 { longest = max(longest, longestMasterField) }
      }
      var element: Int64 = 0
      while element < elements {
        let length: Int
        (position, length) = unsafe text(base, position, end, beyond: longest, sizes: sizes)
        guard position > 0 else { return nil }
        longest = max(longest, length)
        element &+= 1
      }
      if !deleted { largest = longest }
      (position, value) = unsafe smallInteger(base, position, end)
      guard position > 0, value == (sameFields ? fieldCount &+ 3 : fieldCount &* 2 &+ 4) else {
        return nil
      }
      count &+= (sameFields ? 4 : 5) &+ Int(elements)
      entry &+= 1
    }
    // Nothing after the last entry.
    guard position == end else { return nil }
    if total > 0 { scan.lastID = StreamID(milliseconds: previous.0, sequence: previous.1) }
    scan.largest = largest
    scan.liveEntries = liveEntries
    scan.elements = count
    return scan
  }

  /// Reads the integer element at `position` of a listpack whose end marker is at `end`, as
  /// ``ListpackReader/next()`` reads it when its backlen is one byte; the offset after it, 0
  /// when it is anything else (a string, perhaps a count written as text, or damage: the
  /// walk reads it) or `position` is 0.
  @inline(never)
  private static func integer(_ base: UnsafeRawPointer, _ position: Int, _ end: Int) -> (
    next: Int, value: Int64
  ) {
    guard position > 0, end &- position >= 2 else { return (0, 0) }
    let first = unsafe base.load(fromByteOffset: position, as: UInt8.self)
    let (size, value) = unsafe ListpackReader.integerElement(base, position, first, end)
    return unsafe (oneByteBacklen(base, position, size, end), value)
  }

  /// ``integer(_:_:_:)`` of a position other than 0, a 7-bit integer with its one-byte backlen
  /// (flags, counts and most ID deltas) or a 13-bit one (a negative delta, mostly) read inline
  /// behind branches the predictor learns, so that the next element's position does not wait
  /// for this one's bytes.
  @inline(__always)
  private static func smallInteger(_ base: UnsafeRawPointer, _ position: Int, _ end: Int) -> (
    next: Int, value: Int64
  ) {
    if _fastPath(end &- position >= 2) {
      // The element's first two bytes: a 7-bit integer's, then its backlen's.
      let bytes = unsafe Int(
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt16.self)))
      if _fastPath(bytes & 0xFF80 == 0x0100) { return (position &+ 2, Int64(bytes & 0x7F)) }
      if bytes & 0xE0 == 0xC0, end &- position >= 3,
        unsafe base.load(fromByteOffset: position &+ 2, as: UInt8.self) == 2
      {
        let raw = (bytes & 0x1F) &<< 8 | bytes &>> 8
        return (position &+ 3, Int64(raw >= 4096 ? raw &- 8192 : raw))
      }
    }
    return unsafe integer(base, position, end)
  }

  /// Reads the element at `position` (not 0) and returns the offset after it (0 when it does
  /// not read it) and the length of its text (an integer's in decimal), or 0 for an integer
  /// whose text cannot be longer than `floor`. `sizes` is ``elementSizes``.
  @inline(__always)
  private static func text(
    _ base: UnsafeRawPointer, _ position: Int, _ end: Int, beyond floor: Int,
    sizes: UnsafeRawPointer
  ) -> (next: Int, length: Int) {
    // At most `end`, whose byte is the end marker's: size 0.
    let first = Int(unsafe base.load(fromByteOffset: position, as: UInt8.self))
    // Strings of at most 63 bytes and integers of up to 64 bits, sized by a table and told
    // apart by a mask (all ones for a string), without a branch between them: fields and
    // values mix them in no order a predictor learns.
    let size = Int(unsafe sizes.load(fromByteOffset: first, as: UInt8.self))
    let stringMask = (((first &>> 6) ^ 2) &- 1) &>> 63
    guard _fastPath(size > 0) else { return unsafe otherText(base, position, end) }
    guard _fastPath(size < end &- position),
      _fastPath(
        unsafe base.load(fromByteOffset: position &+ size, as: UInt8.self)
          == UInt8(truncatingIfNeeded: size))
    else { return (0, 0) }
    let next = position &+ size &+ 1
    // An integer's text has at most 20 bytes: measured only when that could matter.
    if _slowPath(floor < 20), stringMask == 0 {
      return (next, unsafe integerLength(base, position, end))
    }
    return (next, first & 0x3F & stringMask)
  }

  /// The size (encoding and data) of the element whose first byte is the offset: a 7-bit
  /// integer's, a string's of at most 63 bytes, a 13-, 16-, 24-, 32- or 64-bit integer's; 0
  /// for any other (longer strings, damage). Built once, never freed.
  nonisolated(unsafe) private static let elementSizes: UnsafeRawPointer = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for first in 0..<256 {
      let size: Int
      switch first {
      case 0..<0x80: size = 1
      case 0x80..<0xC0: size = 1 + first & 0x3F
      case 0xC0..<0xE0: size = 2
      case 0xF1: size = 3
      case 0xF2: size = 4
      case 0xF3: size = 5
      case 0xF4: size = 9
      default: size = 0
      }
      unsafe table[first] = UInt8(size)
    }
    return unsafe UnsafeRawPointer(table)
  }()

  /// The length of the text of the integer element at `position`, whose size was read.
  @inline(never)
  private static func integerLength(_ base: UnsafeRawPointer, _ position: Int, _ end: Int) -> Int {
    let first = unsafe base.load(fromByteOffset: position, as: UInt8.self)
    return IntegerText.length(
      of: unsafe ListpackReader.integerElement(base, position, first, end).value)
  }

  /// ``text(_:_:_:beyond:sizes:)`` for the master entry's fields: a call, so that the entries'
  /// loop is the one place it is inlined.
  @inline(never)
  private static func masterField(
    _ base: UnsafeRawPointer, _ position: Int, _ end: Int, beyond floor: Int
  ) -> (next: Int, length: Int) {
    unsafe text(base, position, end, beyond: floor, sizes: elementSizes)
  }

  /// ``text(_:_:_:beyond:sizes:)`` of a string of 64 bytes or more (12- or 32-bit length);
  /// 0 for anything else.
  @inline(never)
  private static func otherText(_ base: UnsafeRawPointer, _ position: Int, _ end: Int) -> (
    next: Int, length: Int
  ) {
    let first = unsafe base.load(fromByteOffset: position, as: UInt8.self)
    let header: Int
    let length: Int
    if first & 0xF0 == 0xE0 {
      guard end &- position >= 2 else { return (0, 0) }
      header = 2
      length =
        unsafe Int(first & 0x0F) << 8
        | Int(base.load(fromByteOffset: position &+ 1, as: UInt8.self))
    } else if first == 0xF0 {
      guard end &- position >= 5 else { return (0, 0) }
      header = 5
      length = unsafe Int(
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position &+ 1, as: UInt32.self)))
    } else {
      return (0, 0)
    }
    guard length <= end &- position &- header else { return (0, 0) }
    let size = header &+ length
    if size < 128 { return unsafe (oneByteBacklen(base, position, size, end), length) }
    return unsafe (ListpackReader.serverBacklenEnd(base, position, size, end), length)
  }

  /// The offset after the element of `size` bytes (encoding and data, 1 to 127; 0 for no
  /// element) at `position` and its one-byte backlen; 0 when that byte is not there or is not
  /// `size`.
  @inline(__always)
  private static func oneByteBacklen(
    _ base: UnsafeRawPointer, _ position: Int, _ size: Int, _ end: Int
  ) -> Int {
    guard size > 0, size < end &- position,
      unsafe base.load(fromByteOffset: position &+ size, as: UInt8.self)
        == UInt8(truncatingIfNeeded: size)
    else { return 0 }
    return position &+ size &+ 1
  }
}
