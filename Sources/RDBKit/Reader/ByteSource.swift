#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the parser takes its bytes from: a window of bytes in memory, and for a stream the
/// ``StreamRefill`` that slides the window forward when a read needs more.
///
/// A mapped file is one window over the whole mapping: its buffers stay valid for the whole
/// parse (``keepsBytes``). A stream's window is a refilled buffer: a buffer returned by
/// ``take(_:)`` stays valid only until the next read. Every read is a bounds check against
/// the window; only a stream that runs short leaves this type. Every consumed byte is fed to
/// the CRC-64 in order, in 1 MiB steps: a stream's behind the read position while the bytes are
/// still in cache, a small mapping's ahead of it, so that one sequential pass brings the bytes
/// into cache before the parser needs them; a mapped file's on a thread of its own
/// (``ChecksumAhead``), which also takes the page faults. A stream read ahead by a thread
/// (``ReadAhead``) has its CRC computed by that thread as it reads: a window in one of its
/// chunks needs none here, only a lookup and a few KiB where the CRC is asked for.
@safe struct ByteSource {
  /// The window's first byte and its length, kept apart rather than as an
  /// `UnsafeRawBufferPointer` (whose start may be nil) so that a read is one compare: an
  /// empty window points at ``emptyWindow``.
  private var base: UnsafeRawPointer
  private var end = 0
  private var position = 0
  private var windowOrigin = 0
  private var crc: UInt64 = 0
  private var crcPosition = 0
  /// The read position at which the CRC is advanced next.
  private var crcDue: Int
  /// A mapping's CRC where its last step started, to redo the step up to the RDB's end.
  private var checkpoint: (position: Int, crc: UInt64) = (0, 0)
  private let refill: StreamRefill?
  /// The ``ReadAhead`` chunk the window is in, whose CRC that thread computed, and where its
  /// data starts in the window (before the window for the unread end of a chunk left at the
  /// input's end); nil when the window's CRC is computed here.
  private var chunk: ReadAhead.Chunk?
  private var chunkStart = 0
  private let progress: ParseProgress?
  /// Mapped files only: release pages far behind the read position (`MADV_DONTNEED`).
  private let releasesPages: Bool
  /// A mapped file's CRC, computed ahead on another thread; nil for a stream or bytes the
  /// caller holds in memory.
  private let ahead: ChecksumAhead?
  private var releasedPosition = 0
  /// The oldest byte another thread has still to read (``ReleaseHold``): no page at or after
  /// it is released, and the parser waits for that thread when it falls too far behind.
  var hold: ReleaseHold?
  /// Where the bytes being captured start in the window (see ``beginCapture()``), or -1.
  private var captureStart = -1

  private static let crcStep = 1 << 20
  /// Where an empty window points: never read, as its length is 0.
  private static var emptyWindow: UnsafeRawPointer {
    unsafe UnsafeRawPointer(bitPattern: 16).unsafelyUnwrapped
  }
  /// How far behind the read position a mapping's pages are released, in steps of
  /// ``crcStep``: at most this plus two steps of the input are resident.
  private static let releaseLag = 4 << 20
  /// The smallest mapped file whose CRC is computed on another thread: below it, starting the
  /// thread costs more than it saves.
  private static let aheadMinimum = 8 << 20

  /// Reads `bytes`, all in memory; `releasesPages` only for a private mapping the caller owns.
  /// A mapped file of at least ``aheadMinimum`` bytes (`releasesPages`) has its CRC computed
  /// on a thread of its own (``ChecksumAhead``): call ``release()`` before the mapping goes.
  @unsafe init(bytes: UnsafeRawBufferPointer, releasesPages: Bool, progress: ParseProgress?) {
    unsafe base = bytes.baseAddress ?? Self.emptyWindow
    end = bytes.count
    refill = nil
    if releasesPages, bytes.count >= Self.aheadMinimum {
      ahead = unsafe ChecksumAhead(bytes: bytes, step: Self.crcStep)
      crcDue = Self.crcStep
    } else {
      ahead = nil
      crcDue = 0
    }
    self.releasesPages = releasesPages
    self.progress = progress
    progress?.expectTotal(bytes.count)
  }

  /// Reads `refill`'s input through its buffer.
  init(refill: StreamRefill, progress: ParseProgress?) {
    unsafe base = Self.emptyWindow
    self.refill = refill
    crcDue = Self.crcStep
    releasesPages = false
    ahead = nil
    self.progress = progress
  }

  /// Whether the input is all in memory and its last 8 bytes are zero: the checksum trailer
  /// of a file written with `rdbchecksum no` (unless bytes follow the RDB).
  var trailerLooksZero: Bool {
    guard refill == nil, unsafe window.count >= 8 else { return false }
    return unsafe window.loadUnaligned(fromByteOffset: window.count &- 8, as: UInt64.self) == 0
  }

  /// The bytes in memory now.
  private var window: UnsafeRawBufferPointer {
    unsafe UnsafeRawBufferPointer(start: base, count: end)
  }

  /// Whether pages behind the read position are released (a private mapping the parser owns).
  var releasesMappedPages: Bool { releasesPages }
  /// Whether buffers from ``take(_:)`` stay valid for the whole parse.
  var keepsBytes: Bool { refill == nil }
  /// The absolute offset of the next unread byte.
  var offset: Int { windowOrigin &+ position }

  /// Consumes exactly `count` bytes and returns them.
  /// - Throws: ``RDBError/Kind/truncated(needed:available:)`` when the input ends first.
  @inline(__always)
  mutating func take(_ count: Int) throws(RDBError) -> UnsafeRawBufferPointer {
    if count > end &- position { try slide(toHold: count) }
    let start = position
    position &+= count
    if position >= crcDue { advanceChecksum() }
    return unsafe UnsafeRawBufferPointer(start: base + start, count: count)
  }

  /// Consumes a string of `length` bytes, its length as the input gives it: what
  /// ``check(length:)`` then ``take(_:)`` do, the check made only when the window does not
  /// hold the string (one compare for most strings).
  /// - Throws: ``RDBError/Kind/lengthTooLarge(_:)`` when a mapped input, or no `Int`, can
  ///   hold it, ``RDBError/Kind/truncated(needed:available:)`` when a stream ends first.
  @inline(__always)
  mutating func take(length: UInt64) throws(RDBError) -> UnsafeRawBufferPointer {
    if length > UInt64(end &- position) { try checkBeyondWindow(length: length) }
    return unsafe try take(Int(truncatingIfNeeded: length))
  }

  /// ``check(length:)`` of a length the window does not hold, which must also fit an `Int`.
  @inline(never)
  private func checkBeyondWindow(length: UInt64) throws(RDBError) {
    try check(length: length)
    guard length <= UInt64(Int.max) else { throw RDBError(.lengthTooLarge(length), at: offset) }
  }

  /// Up to `count` unread bytes, left unread: fewer only when the input ends first (or a
  /// refill fails, which the next read reports). Valid until the next read.
  mutating func peek(upTo count: Int) -> UnsafeRawBufferPointer {
    if unsafe count > window.count &- position, refill != nil { try? slide(toHold: count) }
    let stop = min(end, position &+ count)
    return unsafe UnsafeRawBufferPointer(rebasing: window[position..<stop])
  }

  /// The next byte if the window holds it, left unread: a look at what follows that never
  /// refills (nil at the window's end, as at the input's).
  @inline(__always)
  var nextByteInWindow: UInt8? {
    position < end ? unsafe base.load(fromByteOffset: position, as: UInt8.self) : nil
  }

  /// The bytes the window holds from `back` consumed bytes before the read position to its
  /// end, left as they are, and how many of them lie before the CRC's next step: a scan that
  /// starts records only there, then consumes what it took with ``skip(_:)``, advances the
  /// CRC (publishing progress, releasing pages) as often as single reads do.
  @inline(__always)
  func heldBytes(back: Int) -> (bytes: UnsafeRawBufferPointer, beforeStep: Int) {
    let start = position &- back
    let bytes = unsafe UnsafeRawBufferPointer(start: base + start, count: end &- start)
    return unsafe (bytes, min(end, crcDue) &- start)
  }

  /// Consumes exactly `count` bytes and returns them when the window holds them; otherwise
  /// consumes nothing and returns nil (the caller reads them the general way, which refills
  /// or reports the input's end).
  @inline(__always)
  mutating func takeIfHeld(_ count: Int) -> UnsafeRawBufferPointer? {
    guard count <= end &- position else { return nil }
    let start = position
    position &+= count
    if position >= crcDue { advanceChecksum() }
    return unsafe UnsafeRawBufferPointer(start: base + start, count: count)
  }

  /// Consumes one byte.
  @inline(__always)
  mutating func takeByte() throws(RDBError) -> UInt8 {
    if position >= end { try slide(toHold: 1) }
    let byte = unsafe base.load(fromByteOffset: position, as: UInt8.self)
    position &+= 1
    return byte
  }

  /// Consumes `count` bytes without returning them (a skipped value). Inlined: every element
  /// string a verify leaves to the checksum ends here.
  @inline(__always)
  mutating func skip(_ count: UInt64) throws(RDBError) {
    if count <= UInt64(end &- position) {
      position &+= Int(count)
      if position >= crcDue { advanceChecksum() }
      return
    }
    try skipBeyondWindow(count)
  }

  /// Consumes a string of `length` bytes without returning it, its length as the input gives
  /// it: what ``check(length:)`` then ``skip(_:)`` do, the check made only when the window
  /// does not hold the string.
  @inline(__always)
  mutating func skip(checkedLength length: UInt64) throws(RDBError) {
    if length > UInt64(end &- position) { try check(length: length) }
    try skip(length)
  }

  /// Consumes up to `count` strings that ``skipPlainString()`` would consume, each followed
  /// by `trailing` more bytes that the window holds too; returns how many. One tight loop
  /// over the window, without a call per string: a skipped hash table is tens of millions
  /// of them. Stops at the CRC's next step (every 1 MiB), which ``advanceChecksum()`` takes
  /// before it returns: a caller that hands the bytes over in parts does so between steps.
  @inline(__always)
  mutating func skipPlainStrings(upTo count: UInt64, trailing: Int) -> UInt64 {
    var left = count
    var at = position
    let stop = min(end, crcDue)
    while left > 0, at < stop {
      let string = plainStringEnd(at: at)
      guard string > at, string &+ trailing <= end else { break }
      at = string &+ trailing
      left &-= 1
    }
    position = at
    if position >= crcDue { advanceChecksum() }
    return count &- left
  }

  /// Consumes the next string when the window holds it whole and it is a raw string of a
  /// 6- or 14-bit length (`00xxxxxx`, or `01xxxxxx` and a byte) or an 8-, 16- or 32-bit
  /// integer (`0xC0`–`0xC2`); returns whether it did. Anything else (a longer length form,
  /// LZF, a bad marker, a string the window does not hold) is left to the caller's general
  /// read, which refills or reports it: every string consumed here is one that
  /// ``skip(checkedLength:)`` or ``skip(_:)`` would consume without error.
  @inline(__always)
  mutating func skipPlainString() -> Bool {
    guard position < end else { return false }
    let next = plainStringEnd(at: position)
    guard next > position, next <= end else { return false }
    position = next
    if position >= crcDue { advanceChecksum() }
    return true
  }

  /// Where the string whose first byte is at `at` (< `end`) ends, for the forms
  /// ``skipPlainString()`` takes; `at` itself for any other (or when a 14-bit length's
  /// second byte is not in the window). The end may lie past the window's.
  @inline(__always)
  private func plainStringEnd(at: Int) -> Int {
    let first = Int(unsafe base.load(fromByteOffset: at, as: UInt8.self))
    if first < 0x40 { return at &+ 1 &+ first }
    if first < 0x80 {
      guard at &+ 1 < end else { return at }
      let low = Int(unsafe base.load(fromByteOffset: at &+ 1, as: UInt8.self))
      return at &+ 2 &+ ((first & 0x3F) << 8 | low)
    }
    // 0xC0, 0xC1, 0xC2: a 1-, 2- or 4-byte integer.
    let marker = first &- 0xC0
    guard marker >= 0, marker < 3 else { return at }
    return at &+ 1 &+ (1 << marker)
  }

  /// ``skip(_:)`` of more bytes than the window holds: refills, or the truncation error.
  @inline(never)
  private mutating func skipBeyondWindow(_ count: UInt64) throws(RDBError) {
    guard let refill else {
      let remaining = unsafe window.count &- position
      throw RDBError(.truncated(needed: Int(clamping: count), available: remaining), at: offset)
    }
    let skipStart = offset
    var left = count
    while left > 0 {
      if unsafe position == window.count {
        foldChecksum()
        saveCapture(refill)
        let (moved, origin) = unsafe try refill.slide(
          keeping: 0, from: window, at: position, need: 1)
        unsafe replaceWindow(moved, origin: origin)
        guard unsafe window.count > 0 else {
          // Report the skipped field as a whole, where it starts, as a mapped file does.
          throw RDBError(
            .truncated(needed: Int(clamping: count), available: Int(clamping: count - left)),
            at: skipStart)
        }
      }
      let step = unsafe Int(min(left, UInt64(window.count &- position)))
      position &+= step
      left -= UInt64(step)
    }
  }

  /// Starts recording the bytes consumed from here on, for ``endCapture()``.
  ///
  /// A mapped input needs no copy: the bytes stay in the window. A stream's window slides on
  /// a refill, so the captured bytes it would drop are first copied to the refill's capture
  /// buffer; the cost is paid only where a refill happens, never per read.
  mutating func beginCapture() {
    captureStart = position
    refill?.clearCapture()
  }

  /// Stops recording and returns every byte consumed since ``beginCapture()``, exactly as in
  /// the input; valid until the next read.
  mutating func endCapture() -> UnsafeRawBufferPointer {
    let start = captureStart
    captureStart = -1
    let tail = unsafe UnsafeRawBufferPointer(rebasing: window[start..<position])
    guard let refill, refill.hasCapture else { return unsafe tail }
    return unsafe refill.appendCapture(tail)
  }

  /// Checks that `length` bytes can still be read before anything is sized by it.
  @inline(__always)
  func check(length: UInt64) throws(RDBError) {
    if refill == nil, length > UInt64(end &- position) {
      throw RDBError(.lengthTooLarge(length), at: offset)
    }
  }

  /// The CRC-64 of every byte consumed so far.
  mutating func checksum() -> UInt64 {
    foldChecksum()
    return crc
  }

  /// Consumes whatever follows and returns how many bytes that was.
  mutating func drain() throws(RDBError) -> Int {
    let rest = unsafe window.count &- position
    position = unsafe window.count
    return rest &+ (try refill?.drain() ?? 0)
  }

  /// Makes `count` unread bytes visible, or throws that the input ends first.
  @inline(never)
  private mutating func slide(toHold count: Int) throws(RDBError) {
    guard let refill else {
      throw unsafe RDBError(
        .truncated(needed: count, available: window.count &- position), at: offset)
    }
    foldChecksum()
    progress?.update(bytesRead: offset)
    saveCapture(refill)
    let (moved, origin) = unsafe try refill.slide(
      keeping: window.count &- position, from: window, at: position, need: count)
    unsafe replaceWindow(moved, origin: origin)
    guard unsafe window.count >= count else {
      throw unsafe RDBError(.truncated(needed: count, available: window.count), at: offset)
    }
  }

  /// Before a stream's window slides: keeps the captured bytes it is about to drop, and
  /// restarts the capture at the front of the next window.
  private mutating func saveCapture(_ refill: StreamRefill) {
    guard captureStart >= 0 else { return }
    _ = unsafe refill.appendCapture(
      UnsafeRawBufferPointer(rebasing: window[captureStart..<position]))
    captureStart = 0
  }

  @unsafe private mutating func replaceWindow(_ moved: UnsafeRawBufferPointer, origin: Int) {
    windowOrigin = origin
    unsafe base = moved.baseAddress ?? Self.emptyWindow
    end = moved.count
    position = 0
    crcPosition = 0
    chunk = refill?.chunk
    if let chunk {
      chunkStart = unsafe base.distance(to: UnsafeRawPointer(chunk.data))
      crcDue = .max
    } else {
      crcDue = Self.crcStep
    }
  }

  /// Stops the thread computing a mapped file's CRC (see ``ChecksumAhead``) or reading a
  /// stream ahead (``ReadAhead``); the parse that owns this source calls it before the mapping
  /// or the descriptor goes away.
  func release() {
    ahead?.stop()
    refill?.release()
  }

  /// Brings the CRC to exactly the read position.
  private mutating func foldChecksum() {
    if let ahead {
      let steps = position / Self.crcStep
      if steps &* Self.crcStep > crcPosition {
        crc = ahead.checksum(through: steps)
        crcPosition = steps &* Self.crcStep
      }
    }
    if crcPosition > position {
      // A mapping's CRC ran past the end of the RDB: redo its last step up to here.
      (crcPosition, crc) = checkpoint
    }
    if let chunk, position >= chunkStart,
      position &- crcPosition > ReadAhead.checkpointBytes
    {
      // The reading thread's CRC, from the chunk's last checkpoint before here.
      crc = unsafe chunk.checksum(through: position &- chunkStart)
      crcPosition = position
      return
    }
    crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(rebasing: window[crcPosition..<position]))
    crcPosition = position
  }

  /// Advances the CRC: a stream's up to here, a small mapping's one step past here, a large
  /// mapping's on its own thread, told how far the parser is (then publishes progress and
  /// releases old pages).
  @inline(never)
  private mutating func advanceChecksum() {
    guard refill == nil else {
      foldChecksum()
      crcDue = crcPosition &+ Self.crcStep
      return
    }
    var released = position
    if let ahead {
      let steps = position / Self.crcStep
      released = min(position, ahead.parserReached(steps) &* Self.crcStep)
      crcDue = (steps &+ 1) &* Self.crcStep
    } else {
      checkpoint = (crcPosition, crc)
      let stop = unsafe min(position &+ Self.crcStep, window.count)
      crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(rebasing: window[crcPosition..<stop]))
      crcPosition = stop
      crcDue = unsafe stop == window.count ? Int.max : stop
    }
    progress?.update(bytesRead: position)
    guard releasesPages, let start = unsafe window.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    // Pages the CRC thread has yet to read stay: releasing them would fault them in twice.
    // So do those another thread has yet to read (a packed value measured on a second core).
    var end = (released &- Self.releaseLag) / page * page
    if let hold { end = min(end, hold.floor(at: position) / page * page) }
    if end &- releasedPosition >= Self.crcStep {
      _ = unsafe madvise(
        UnsafeMutableRawPointer(mutating: start + releasedPosition), end &- releasedPosition,
        MADV_DONTNEED)
      releasedPosition = end
      hold?.released(through: end)
    }
  }
}
