/// LZF compression as Redis compresses strings when it saves with `rdbcompression yes`: the
/// result is kept only when it is at least 4 bytes shorter.
///
/// The output is what liblzf 3.6's `lzf_compress` (as Debian builds it: a hash table of 2^16
/// slots, the `VERY_FAST` variant) produces when its hash table starts empty:
/// the same matches, the same runs, the same point of giving up when the output room runs
/// out. liblzf leaves its table uninitialized (stack memory), so a match it finds depends on
/// what the thread compressed before, and a server's bytes are not reproducible either; here
/// the result depends on the input alone, whichever thread compresses it and in whatever
/// order (``BackgroundCompression`` writes what the writing thread would have).
///
/// The table holds positions offset by a base that grows by each input's length, so entries
/// left by earlier inputs fall before the current one and are never taken as matches, without
/// clearing the table for every string. A match is extended 8 bytes at a time, where liblzf
/// compares byte by byte: on the ziplists of a rewrite to RDB 9 this takes half liblzf's time.
///
/// The output buffer is owned here and reused from string to string; a result is valid until
/// the next call.
@safe final class LZFCompressor {
  private var output = unsafe UnsafeMutableRawBufferPointer(start: nil, count: 0)
  /// The hash table: per slot, the base plus the position last seen with that hash.
  private let table: UnsafeMutablePointer<UInt32>
  /// Added to the positions of the current input; past every entry of earlier inputs.
  private var base: UInt32 = 1

  private static let slots = 1 << 16
  /// The longest back reference (a 3-bit length, an extra byte, plus 2).
  private static let longestMatch = 264
  /// The farthest back reference (13 bits of offset).
  private static let farthest = 8192
  /// The longest literal run.
  private static let longestRun = 32

  init() {
    table = unsafe .allocate(capacity: Self.slots)
    unsafe table.initialize(repeating: 0, count: Self.slots)
  }

  deinit {
    unsafe output.deallocate()
    unsafe table.deallocate()
  }

  /// The compressed form of `input`, or nil when it would not save 4 bytes.
  ///
  /// The room given is the input's length less 4, as Redis gives `lzf_compress`, and the
  /// compression gives up where liblzf does when that room runs out.
  @unsafe func compress(_ input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    guard input.count > 4, input.count < Int(UInt32.max) &- 1, let source = input.baseAddress
    else { return nil }
    let room = input.count &- 4
    if unsafe output.count < room {
      unsafe output.deallocate()
      unsafe output = .allocate(byteCount: max(room, 4096), alignment: 16)
    }
    guard let destination = unsafe output.baseAddress else { return nil }
    if UInt64(base) &+ UInt64(input.count) >= UInt64(UInt32.max) {
      unsafe table.update(repeating: 0, count: Self.slots)
      base = 1
    }
    let produced = unsafe compress(
      source.assumingMemoryBound(to: UInt8.self), count: input.count,
      into: destination.assumingMemoryBound(to: UInt8.self), room: room)
    base &+= UInt32(input.count)
    guard produced > 0 else { return nil }
    return unsafe UnsafeRawBufferPointer(rebasing: output[..<produced])
  }

  /// The table slot of the 3 bytes whose hash is `hash` (liblzf's `IDX` of `VERY_FAST`).
  @inline(__always)
  private static func slot(_ hash: UInt32) -> Int {
    Int(truncatingIfNeeded: ((hash &>> 8) &- hash &* 5) & 0xFFFF)
  }

  /// Compresses `count` bytes into at most `room` bytes; returns the size, 0 when it did not
  /// fit.
  @unsafe private func compress(
    _ input: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>, room: Int
  ) -> Int {
    let table = unsafe self.table
    let base = Int(base)
    var position = 0
    // The output position; the byte before the current literal run is its control byte.
    var written = 1
    var run = 0
    var hash = UInt32(unsafe input[0]) &<< 8 | UInt32(unsafe input[1])
    while position < count &- 2 {
      hash = hash &<< 8 | UInt32(unsafe input[position &+ 2])
      let slot = Self.slot(hash)
      let reference = Int(unsafe table[slot]) &- base
      unsafe table[slot] = UInt32(truncatingIfNeeded: base &+ position)
      let offset = position &- reference &- 1
      if reference > 0, UInt(bitPattern: offset) < UInt(Self.farthest),
        unsafe input[reference &+ 2] == input[position &+ 2],
        unsafe UnsafeRawPointer(input).loadUnaligned(fromByteOffset: reference, as: UInt16.self)
          == UnsafeRawPointer(input).loadUnaligned(fromByteOffset: position, as: UInt16.self)
      {
        if written &+ 4 >= room, written &- (run == 0 ? 1 : 0) &+ 4 >= room { return 0 }
        unsafe out[written &- run &- 1] = UInt8(truncatingIfNeeded: run &- 1)
        if run == 0 { written &-= 1 }
        let length = unsafe Self.matchLength(
          input, reference, position, remaining: count &- position)
        let code = length &- 2
        if code < 7 {
          unsafe out[written] = UInt8(truncatingIfNeeded: offset &>> 8 &+ code &<< 5)
          written &+= 1
        } else {
          unsafe out[written] = UInt8(truncatingIfNeeded: offset &>> 8 &+ 7 &<< 5)
          unsafe out[written &+ 1] = UInt8(truncatingIfNeeded: code &- 7)
          written &+= 2
        }
        unsafe out[written] = UInt8(truncatingIfNeeded: offset)
        // The next literal run's control byte.
        written &+= 2
        run = 0
        position &+= length
        if position >= count &- 2 { break }
        // The last two positions of the match go into the table.
        position &-= 2
        hash = UInt32(unsafe input[position]) &<< 8 | UInt32(unsafe input[position &+ 1])
        hash = hash &<< 8 | UInt32(unsafe input[position &+ 2])
        unsafe table[Self.slot(hash)] = UInt32(truncatingIfNeeded: base &+ position)
        position &+= 1
        hash = hash &<< 8 | UInt32(unsafe input[position &+ 2])
        unsafe table[Self.slot(hash)] = UInt32(truncatingIfNeeded: base &+ position)
        position &+= 1
      } else {
        if written >= room { return 0 }
        unsafe out[written] = input[position]
        written &+= 1
        position &+= 1
        run &+= 1
        if run == Self.longestRun {
          unsafe out[written &- run &- 1] = UInt8(truncatingIfNeeded: run &- 1)
          run = 0
          written &+= 1
        }
      }
    }
    if written &+ 3 > room { return 0 }
    while position < count {
      unsafe out[written] = input[position]
      written &+= 1
      position &+= 1
      run &+= 1
      if run == Self.longestRun {
        unsafe out[written &- run &- 1] = UInt8(truncatingIfNeeded: run &- 1)
        run = 0
        written &+= 1
      }
    }
    unsafe out[written &- run &- 1] = UInt8(truncatingIfNeeded: run &- 1)
    if run == 0 { written &-= 1 }
    return written
  }

  /// The length of the match at `position` against `reference`, whose first 3 bytes are
  /// equal, within `remaining` bytes: at most 264 bytes and at most `remaining` less 2, as
  /// liblzf counts (which reaches 19 bytes when that bound is 17 or 18).
  @inline(__always)
  @unsafe private static func matchLength(
    _ input: UnsafePointer<UInt8>, _ reference: Int, _ position: Int, remaining: Int
  ) -> Int {
    var limit = min(remaining &- 2, longestMatch)
    if limit > 16 { limit = max(limit, 19) }
    var length = 3
    let raw = unsafe UnsafeRawPointer(input)
    while length &+ 8 <= limit {
      let a = unsafe raw.loadUnaligned(fromByteOffset: reference &+ length, as: UInt64.self)
      let b = unsafe raw.loadUnaligned(fromByteOffset: position &+ length, as: UInt64.self)
      let difference = a ^ b
      if difference != 0 {
        return length &+ (UInt64(littleEndian: difference).trailingZeroBitCount &>> 3)
      }
      length &+= 8
    }
    while length < limit, unsafe input[reference &+ length] == input[position &+ length] {
      length &+= 1
    }
    return length
  }
}
