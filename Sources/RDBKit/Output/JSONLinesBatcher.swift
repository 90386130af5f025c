import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dump --format jsonl` of a mapped file on two cores, where the second one pays.
///
/// The parse (on the calling thread) decodes and formats each key itself, as one parse does,
/// unless recent records are of some size (``smallestRecord`` bytes on average: tiny keys cost
/// as much to step over and copy as to format) and the helper thread has room. Then it steps
/// over the key's value and copies its record into a batch (a small RDB image: the file's
/// header and AUX fields, then records as they were), which the helper thread decodes and
/// formats with a ``JSONLinesWriter`` of its own while the parse goes on. Each batch is parsed
/// by the same parser from the same record bytes, after the same header and AUX fields, so its
/// text is byte for byte what one parse writes.
///
/// The text goes out in file order, and only the parse's thread touches the output: what it
/// formats itself while batches are out is held (``inlineOutput``) until the batches before it
/// are written. A held text of ``heldBytes`` (a long value) waits for the batches and then
/// goes on into the output itself. A record over ``largeRecord`` bytes (a stream of a few
/// megabytes, a large hash) is a batch of its own, up to ``largestHandedRecord``, its text
/// written from the slot's buffer (``OutputBuffer/append(lending:)``); a larger one is decoded
/// at once by the parse from a one-record image, its text streamed out as one parse streams
/// it, and an error in it located in the file as one parse would locate it.
///
/// A large stream up to ``largestStreamInTurn`` ends its batch instead, and is copied even
/// when no slot is free while a batch out waits for the thread, and while batches are out
/// even among keys too small to batch (one copied there that does not go in turn is decoded
/// by the parse from its copy, as a large record is). Where the parse would then
/// wait for a free slot to hand it over, it first formats itself each batch out that the
/// thread has not started (each is claimed once, by the thread or the parse:
/// ``Slot/claim()``), into its slot, as the thread would: a run of large streams goes to
/// the two threads in turn, with no more text held than the slots hold, instead of the
/// parse formatting one into the held text and waiting, 1 MiB into it, for every batch out.
///
/// A batch that fails to parse (damage the step over a value cannot see) or a failure of the
/// parse inside a copied record stop it: ``resumeOffset`` then says where the first record the
/// output does not hold starts (those before are written, whole and in order), and the caller
/// parses the file again from there (``JSONLinesWriter/resumeOffset``), so that damage is
/// written and reported as one parse does. Any other failure of the parse leaves the output
/// as one parse leaves it once ``settle()`` has written the batches before it.
@safe public final class JSONLinesBatcher: @unchecked Sendable {
  /// A batch is handed over once its records reach this many bytes.
  let batchBytes: Int
  /// A record larger than this is a batch of its own, or decoded by the parse itself (see
  /// the type's description).
  let largeRecord: Int
  /// A large record up to this size is a batch of its own once a slot is free; a larger one
  /// is always decoded by the parse (its copy and its whole text in memory would be too
  /// much).
  let largestHandedRecord: Int
  /// A large stream up to this size ends its batch, copied even when no slot is free, so that
  /// a run of them goes to the thread and the parse in turn (see the type's description):
  /// the slots then hold such streams' texts (2.5 MB for a stream of 1 MB).
  static let largestStreamInTurn = 1 << 21
  /// Batches out at once: formatted by the thread or the parse, or waiting. Three, so that
  /// while one batch's text is written (into a pipe, as slowly as its reader takes it) the
  /// two threads each still have one to format: with two, the thread waited for the parse
  /// to hand over the next (`dump` of `streams` into `cat`, 1.30 s against 1.09, A B B A).
  /// The third only for records of ``thirdSlotBytes`` in all (see ``hasRoom(for:)``).
  static let slotCount = 3
  /// The most bytes of records the batches out hold with the third slot in use: 4 MiB, three
  /// streams of 1 MB, but not a third large record beside two (`dump` of `aggregates` with
  /// another process busy on a core: peak RSS 51-63 MiB without this bound, 51-59 with it).
  let thirdSlotBytes: Int
  /// Text held behind batches beyond this waits for them.
  static let heldBytes = 1 << 20
  /// The average record size (bytes, over the last ``stretchBytes`` of the file) under which
  /// keys are not batched.
  let smallestRecord: Int
  /// The records sampled for ``smallestRecord``: this many, every ``stretchBytes``.
  let sampleKeys: Int
  /// See ``sampleKeys``.
  static let stretchBytes = 1 << 16
  /// A batch's copy is freed, once written, when its room grew past this, and its text's
  /// room when it grew past twice this (a stream of 1 MB has 2.5 MB of text).
  static let keptRoom = 2 << 20

  final class Slot {
    var input: [UInt8] = []
    /// Text formatted by the parse after the batch before this one and before this one.
    var prefix = OutputBuffer(holding: JSONLinesBatcher.heldBytes)
    let output = OutputBuffer()
    /// Where the batch's first record starts in the file.
    var firstOffset = 0
    var failed = false
    /// Set by whichever thread takes the batch to format, the helper or the parse; cleared
    /// as the batch is handed over.
    let claimed = Atomic<Bool>(true)

    /// Takes the batch to format; false when the other thread has it.
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
  }

  /// The output every text ends up in, in file order.
  public let output: OutputBuffer
  private let style: ByteStringStyle
  /// The first byte of the mapped file, to locate a large record's errors.
  private let base: UnsafeRawPointer
  private let slots: [Slot]
  /// Posted once for each batch handed over (and when the thread is to stop).
  private let ready: UnsafeMutablePointer<sem_t>
  /// Per slot: posted when its batch is formatted.
  private let done: UnsafeMutablePointer<sem_t>
  /// Posted by the thread as it ends.
  private let ended: UnsafeMutablePointer<sem_t>
  private var stopping = false

  // The parse's side.
  private var header: [UInt8] = []
  private var hasChecksum = true
  private var batch: [UInt8] = []
  private var batchKeys = 0
  private var batchFirstOffset = 0
  private var batchDatabase = 0
  /// The current record up to its value (no SELECTDB), its database and where it starts.
  private var recordHead: [UInt8] = []
  private var recordDatabase = 0
  private var recordOffset = 0
  private var recordIsStream = false
  /// Whether the current record was copied among keys of some size (see
  /// ``copies(_:info:batchable:)``).
  private var recordBatchable = false
  /// Whether a copied record waits for its value (a parse that failed in it leaves it so).
  public private(set) var recordOpen = false
  /// Text formatted by the parse after the newest batch out.
  private var trailing = OutputBuffer(holding: JSONLinesBatcher.heldBytes)
  private var oldest = 0
  private var batchesOut = 0
  /// Set when the parse is to be resumed: where the first record not written starts. See
  /// the type's description.
  public private(set) var resumeOffset: Int?

  /// Writes to `output` (empty), byte strings in `style`, for a parse of the file mapped at
  /// `base`; nil when the thread cannot be started.
  @unsafe public convenience init?(
    output: OutputBuffer, style: ByteStringStyle, base: UnsafeRawPointer
  ) {
    unsafe self.init(
      output: output, style: style, base: base, batchBytes: 1 << 18, largeRecord: 1 << 19,
      largestHandedRecord: 1 << 22, smallestRecord: 192, sampleKeys: 16,
      thirdSlotBytes: 4 << 20)
  }

  /// A batcher with its sizes given (tests: batches of one record, every record batched).
  @unsafe init?(
    output: OutputBuffer, style: ByteStringStyle, base: UnsafeRawPointer, batchBytes: Int,
    largeRecord: Int, largestHandedRecord: Int, smallestRecord: Int, sampleKeys: Int,
    thirdSlotBytes: Int
  ) {
    self.sampleKeys = sampleKeys
    self.thirdSlotBytes = thirdSlotBytes
    self.batchBytes = batchBytes
    self.largeRecord = largeRecord
    self.largestHandedRecord = largestHandedRecord
    self.smallestRecord = smallestRecord
    self.output = output
    self.style = style
    unsafe self.base = base
    slots = (0..<Self.slotCount).map { _ in Slot() }
    unsafe ready = .allocate(capacity: 1)
    unsafe done = .allocate(capacity: Self.slotCount)
    unsafe ended = .allocate(capacity: 1)
    unsafe sem_init(ready, 0, 0)
    for index in 0..<Self.slotCount { unsafe sem_init(done + index, 0, 0) }
    unsafe sem_init(ended, 0, 0)
    guard DetachedThread.start({ [self] in run() }) else { return nil }
  }

  deinit {
    unsafe sem_destroy(ready)
    for index in 0..<Self.slotCount { unsafe sem_destroy(done + index) }
    unsafe sem_destroy(ended)
    unsafe ready.deallocate()
    unsafe done.deallocate()
    unsafe ended.deallocate()
  }

  /// Where the parse formats a key it decodes itself: the output when no batch is out, else
  /// the text held behind them.
  var inlineOutput: OutputBuffer { batchesOut > 0 ? trailing : output }

  func header(_ version: RDBVersion) {
    hasChecksum = version.hasChecksum
    header = Array(version.description.utf8)
  }

  func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    // The batches before it were read without it, as the file's keys before it were.
    if batchKeys > 0 { try handOver() }
    header.append(Opcode.aux.rawValue)
    unsafe key.withUnsafeBytes { unsafe Self.appendString($0, to: &header) }
    unsafe value.withUnsafeBytes { unsafe Self.appendString($0, to: &header) }
  }

  /// Whether batches are out or one is being filled (or a record copied into it).
  var isBusy: Bool { batchesOut > 0 || batchKeys > 0 || recordOpen }

  /// Whether the key beginning is to be copied into a batch (its value then comes to
  /// ``append(value:)``); if not, the parse decodes it into ``inlineOutput``. Keys are
  /// `batchable` while the records before are of some size; a stream is copied also among
  /// smaller keys while batches are out, in case it is one to go in turn (if not, the parse
  /// decodes it from its copy).
  func copies(_ key: RawSpan, info: KeyInfo, batchable: Bool) throws(RDBError) -> Bool {
    if batchesOut > 0 { try writeFormatted(waiting: false) }
    guard batchable || info.dataType == .stream, info.metadataClassCount == 0,
      info.dataType != .module,
      batchKeys > 0 || batchesOut < Self.slotCount
        || (info.dataType == .stream && hasUnclaimedBatch)
    else {
      if batchKeys > 0 { try handOver() }
      return false
    }
    recordOffset = info.offset
    // The record up to its value, as the file has it (a seconds expiry as milliseconds, which
    // the parser reports alike).
    recordHead.removeAll(keepingCapacity: true)
    recordDatabase = info.database
    recordIsStream = info.dataType == .stream
    recordBatchable = batchable
    if let expiresAt = info.expiresAt {
      recordHead.append(Opcode.expireTimeMilliseconds.rawValue)
      withUnsafeBytes(of: UInt64(bitPattern: expiresAt).littleEndian) {
        recordHead.append(contentsOf: $0)
      }
    }
    if let idle = info.idleSeconds {
      recordHead.append(Opcode.idle.rawValue)
      RDBLength.append(idle, to: &recordHead)
    }
    if let frequency = info.frequency {
      recordHead.append(Opcode.freq.rawValue)
      recordHead.append(frequency)
    }
    recordHead.append(info.type.rawValue)
    unsafe key.withUnsafeBytes { unsafe Self.appendString($0, to: &recordHead) }
    recordOpen = true
    return true
  }

  /// The value of the key ``copies(_:info:)`` took, as the file has it.
  func append(value: RawSpan) throws(RDBError) {
    recordOpen = false
    let size = recordHead.count &+ value.byteCount
    let endsBatch = size > largeRecord && size <= Self.largestStreamInTurn && recordIsStream
    if size > largeRecord || !recordBatchable, !endsBatch {
      if batchKeys > 0 { try handOver() }
      // A batch of its own while a slot is free (the parse then formats the keys after it),
      // else decoded here, as is a stream among smaller keys that does not go in turn.
      if size > largestHandedRecord || !hasRoom(for: size) || !recordBatchable {
        try unsafe value.withUnsafeBytes { (bytes) throws(RDBError) in
          try unsafe decodeAlone(bytes)
        }
        return
      }
    }
    if batchKeys == 0 {
      batchFirstOffset = recordOffset
      batch.removeAll(keepingCapacity: true)
      batch.append(contentsOf: header)
      batchDatabase = 0
    }
    if recordDatabase != batchDatabase {
      batchDatabase = recordDatabase
      batch.append(Opcode.selectDatabase.rawValue)
      RDBLength.append(UInt64(recordDatabase), to: &batch)
    }
    batch.append(contentsOf: recordHead)
    unsafe value.withUnsafeBytes { unsafe batch.append(contentsOf: $0) }
    batchKeys &+= 1
    if batch.count >= batchBytes || endsBatch { try handOver() }
  }

  /// Waits for every batch out and writes their text and the text held behind them: the
  /// output is then where ``inlineOutput`` goes.
  func catchUp() throws(RDBError) -> OutputBuffer {
    try writeFormatted(waiting: true)
    return output
  }

  /// After the parse (finished or failed): hands over the batch being filled (without a
  /// record left open), waits for every batch and writes the text in order, up to a batch
  /// that failed (then ``resumeOffset`` is set), and stops the thread.
  public func settle() {
    if batchKeys > 0, resumeOffset == nil { try? handOver() }
    do {
      try writeFormatted(waiting: true)
    } catch {
      // A failed batch (resumeOffset is set) or a failed write: wait for the rest, unwritten.
    }
    while batchesOut > 0 {
      while unsafe sem_wait(done + oldest) != 0 {}
      oldest = (oldest &+ 1) % Self.slotCount
      batchesOut &-= 1
    }
    if resumeOffset == nil, recordOpen { resumeOffset = recordOffset }
    if !stopping {
      stopping = true
      unsafe sem_post(ready)
      while unsafe sem_wait(ended) != 0 {}
    }
  }

  /// Writes the formatted batches, oldest first, then the text held behind the newest once
  /// none is out; with `waiting`, waits for each, else stops at the first still formatting.
  private func writeFormatted(waiting: Bool) throws(RDBError) {
    if resumeOffset != nil { throw Self.stopped }
    while batchesOut > 0 {
      if waiting {
        while unsafe sem_wait(done + oldest) != 0 {}
      } else if unsafe sem_trywait(done + oldest) != 0 {
        return
      }
      try writeOldest()
    }
    try output.append(taking: trailing)
  }

  /// Writes the oldest batch (formatted: its ``done`` taken) and the text held before it.
  private func writeOldest() throws(RDBError) {
    let slot = slots[oldest]
    oldest = (oldest &+ 1) % Self.slotCount
    batchesOut &-= 1
    try output.append(taking: slot.prefix)
    if slot.failed {
      resumeOffset = slot.firstOffset
      throw Self.stopped
    }
    // A large record's text is written from where it is (reclaimed before the slot is
    // used again).
    try output.append(lending: slot.output)
    if slot.input.capacity > Self.keptRoom { slot.input = [] }
  }

  /// Makes room for the batch being filled when there is none (``hasRoom(for:)``): writes the
  /// batches formatted, formats here those the thread has not started, and waits for the
  /// oldest only when the thread formats every other.
  private func freeSlot() throws(RDBError) {
    guard !hasRoom(for: batch.count) else { return }
    try writeFormatted(waiting: false)
    guard !hasRoom(for: batch.count) else { return }
    formatUnclaimed()
    while !hasRoom(for: batch.count) {
      while unsafe sem_wait(done + oldest) != 0 {}
      try writeOldest()
    }
  }

  /// Whether a batch of `bytes` of records may go out now: a slot is free, and for the third,
  /// the batches out and it hold at most ``thirdSlotBytes``.
  private func hasRoom(for bytes: Int) -> Bool {
    if batchesOut < Self.slotCount &- 1 { return true }
    guard batchesOut < Self.slotCount else { return false }
    var held = bytes
    for index in 0..<batchesOut { held &+= slots[(oldest &+ index) % Self.slotCount].input.count }
    return held <= thirdSlotBytes
  }

  /// Hands the batch being filled over once a slot is free (``freeSlot()``).
  private func handOver() throws(RDBError) {
    try freeSlot()
    submit()
  }

  /// Whether a batch out waits for the thread, which the parse may then format (so keys
  /// are copied into a batch even when no slot is free).
  private var hasUnclaimedBatch: Bool {
    for index in 0..<batchesOut
    where !slots[(oldest &+ index) % Self.slotCount].claimed.load(ordering: .acquiring) {
      return true
    }
    return false
  }

  /// Formats here, oldest first, each batch out that the thread has not taken.
  private func formatUnclaimed() {
    for index in 0..<batchesOut {
      let slotIndex = (oldest &+ index) % Self.slotCount
      let slot = slots[slotIndex]
      guard slot.claim() else { continue }
      format(slot)
      unsafe sem_post(done + slotIndex)
    }
  }

  /// What stops the parse once a batch failed.
  private static var stopped: RDBError { RDBError(.handlerFailed("a batch did not parse"), at: 0) }

  /// Hands the batch to the thread, with the text held before it.
  private func submit() {
    assert(hasRoom(for: batch.count), "a batch handed over without room")
    batch.append(Opcode.endOfFile.rawValue)
    if hasChecksum { batch.append(contentsOf: repeatElement(0, count: 8)) }
    let slot = slots[(oldest &+ batchesOut) % Self.slotCount]
    output.reclaim(slot.output)
    // The text of a record much larger than most: its room is given back.
    slot.output.shrink(toAtMost: Self.keptRoom &* 2)
    swap(&slot.input, &batch)
    swap(&slot.prefix, &trailing)
    slot.firstOffset = batchFirstOffset
    batchKeys = 0
    batchesOut &+= 1
    slot.claimed.store(false, ordering: .releasing)
    unsafe sem_post(ready)
  }

  /// Decodes one large record here, from a one-record image, into ``inlineOutput``.
  @unsafe private func decodeAlone(_ value: UnsafeRawBufferPointer) throws(RDBError) {
    var image = header
    if recordDatabase != 0 {
      image.append(Opcode.selectDatabase.rawValue)
      RDBLength.append(UInt64(recordDatabase), to: &image)
    }
    image.append(contentsOf: recordHead)
    let valueStart = image.count
    unsafe image.append(contentsOf: value)
    image.append(Opcode.endOfFile.rawValue)
    if hasChecksum { image.append(contentsOf: repeatElement(0, count: 8)) }
    var writer = JSONLinesWriter(decodingFor: self, style: style)
    do {
      try RDBParser().parse(image, into: &writer)
    } catch {
      // Inside the value (the record up to it was read in the file): where it is in the file.
      var error = error
      if error.offset >= valueStart, let start = value.baseAddress {
        error.offset = unsafe error.offset &- valueStart &+ base.distance(to: start)
      }
      throw error
    }
  }

  private func run() {
    var index = 0
    while true {
      while unsafe sem_wait(ready) != 0 {}
      if stopping { break }
      // The batch handed over with this post, unless the parse formats it or has (the slot
      // may already hold a later batch, which this thread then formats, and skips at its
      // own post).
      let slot = slots[index]
      if slot.claim() {
        format(slot)
        unsafe sem_post(done + index)
      }
      index = (index &+ 1) % Self.slotCount
    }
    unsafe sem_post(ended)
  }

  /// Formats a batch into its slot's output, on either thread.
  private func format(_ slot: Slot) {
    slot.output.truncate(to: 0)
    var writer = JSONLinesWriter(output: slot.output, style: style)
    do {
      try RDBParser().parse(slot.input, into: &writer)
      slot.failed = false
    } catch {
      slot.failed = true
    }
  }

  @unsafe private static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    RDBLength.append(UInt64(bytes.count), to: &out)
    unsafe out.append(contentsOf: bytes)
  }
}
