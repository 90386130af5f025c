#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StreamNodeWriter {
  /// The names of a node's fields, kept in ``byteCount`` bytes the caller lends (on the
  /// stack): where each master field's name is in the node, where each of the current
  /// entry's own names is, and the text before each master field's value, `{"name":"` for
  /// the first and `,"name":"` for the others, laid out once per node so that an entry of the
  /// master fields copies it in a word or two instead of testing its name again.
  ///
  /// Starts and lengths are 16-bit: a node has at most ``StreamNodeWriter/largestNode``
  /// bytes.
  @safe struct FieldNames {
    /// The bytes lent.
    static let byteCount = 1024
    /// Master fields' starts and lengths, then own names', then each text's offset and
    /// length, ``StreamNodeWriter/mostFields`` pairs each.
    private static let pairsBytes = 4 &* StreamNodeWriter.mostFields
    private static let textStart = 3 &* pairsBytes
    /// Room for the texts: each is padded to whole words, and laying one out stores up to a
    /// word past its end.
    private static let textRoom = byteCount &- textStart

    private let room: UnsafeMutableRawPointer
    /// Whether every master field's text is laid out (``layOutTexts(_:in:)``).
    private(set) var textsLaidOut = false
    /// The length of the longest master field's text.
    private(set) var longestText = 0

    /// Names kept in `room`, of ``byteCount`` bytes aligned to a word.
    @unsafe init(room: UnsafeMutableRawPointer) {
      unsafe self.room = room
    }

    /// The start and length of the `index`th name of `group` (0: master fields, 1: own).
    @inline(__always)
    private func pair(_ group: Int, _ index: Int) -> (start: Int, count: Int) {
      let offset = group &* Self.pairsBytes &+ index &* 4
      return unsafe (
        Int(room.load(fromByteOffset: offset, as: UInt16.self)),
        Int(room.load(fromByteOffset: offset &+ 2, as: UInt16.self))
      )
    }

    @inline(__always)
    @unsafe private func setPair(
      _ group: Int, _ index: Int, _ name: Element, in base: UnsafeRawPointer
    ) {
      let offset = group &* Self.pairsBytes &+ index &* 4
      unsafe room.storeBytes(
        of: UInt16(truncatingIfNeeded: base.distance(to: name.start)), toByteOffset: offset,
        as: UInt16.self)
      unsafe room.storeBytes(
        of: UInt16(truncatingIfNeeded: name.count), toByteOffset: offset &+ 2, as: UInt16.self)
    }

    /// Where the `index`th master field's name is in the node.
    @inline(__always)
    func master(_ index: Int) -> (start: Int, count: Int) { pair(0, index) }

    /// Where the current entry's `index`th own name is in the node.
    @inline(__always)
    func own(_ index: Int) -> (start: Int, count: Int) { pair(1, index) }

    /// Keeps where the `index`th master field's name is in the node at `base`.
    @inline(__always)
    @unsafe func setMaster(_ index: Int, _ name: Element, in base: UnsafeRawPointer) {
      unsafe setPair(0, index, name, in: base)
    }

    /// Keeps where the current entry's `index`th own name is in the node at `base`.
    @inline(__always)
    @unsafe func setOwn(_ index: Int, _ name: Element, in base: UnsafeRawPointer) {
      unsafe setPair(1, index, name, in: base)
    }

    /// Whether the first `count` names of `group` (0: master fields, 1: own) differ, in the
    /// node at `base`.
    @unsafe func areDistinct(_ group: Int, _ count: Int, in base: UnsafeRawPointer) -> Bool {
      guard count > 1 else { return true }
      for later in 1..<count {
        let name = pair(group, later)
        for earlier in 0..<later {
          let other = pair(group, earlier)
          if other.count == name.count,
            unsafe memcmp(base + other.start, base + name.start, name.count) == 0
          {
            return false
          }
        }
      }
      return true
    }

    /// Lays out the text before each of the first `count` master fields' values, from their
    /// names in the node at `base`, when they fit (``textsLaidOut``); false when a name is
    /// not plain ASCII (``JSONText/storePlainName(_:first:at:)``), whose entries are not
    /// written here.
    @unsafe mutating func layOutTexts(_ count: Int, in base: UnsafeRawPointer) -> Bool {
      textsLaidOut = false
      longestText = 0
      var offset = Self.textStart
      for index in 0..<count {
        let name = pair(0, index)
        let length = name.count &+ 5
        // The name's store may pass its end by a word, the `":"` store by a byte.
        guard offset &+ length &+ 8 <= Self.byteCount else { return true }
        guard
          unsafe JSONText.storePlainName(
            UnsafeRawBufferPointer(start: base + name.start, count: name.count),
            first: index == 0, at: room + offset)
        else { return false }
        let slot = 2 &* Self.pairsBytes &+ index &* 4
        unsafe room.storeBytes(of: UInt16(offset), toByteOffset: slot, as: UInt16.self)
        unsafe room.storeBytes(of: UInt16(length), toByteOffset: slot &+ 2, as: UInt16.self)
        longestText = max(longestText, length)
        offset &+= (length &+ 7) & ~7
      }
      textsLaidOut = true
      return true
    }

    /// The longest text ``copyShortText(_:to:)`` copies: two words. When every text is this
    /// short, each takes at most two words of the room, so the last one's two words are in it.
    static let shortText = 16

    /// Copies the text before the `index`th master field's value (laid out, and every text
    /// at most ``shortText`` bytes) to `out` as two words, without a loop, and returns its
    /// length. What the words hold past the text (its padding, the next text's first bytes)
    /// lands in room reserved past it, up to 11 bytes, and is never counted.
    @inline(__always)
    @unsafe func copyShortText(_ index: Int, to out: UnsafeMutableRawPointer) -> Int {
      let slot = 2 &* Self.pairsBytes &+ index &* 4
      let offset = unsafe Int(room.load(fromByteOffset: slot, as: UInt16.self))
      unsafe out.storeBytes(
        of: room.load(fromByteOffset: offset, as: UInt64.self), as: UInt64.self)
      unsafe out.storeBytes(
        of: room.load(fromByteOffset: offset &+ 8, as: UInt64.self), toByteOffset: 8,
        as: UInt64.self)
      return unsafe Int(room.load(fromByteOffset: slot &+ 2, as: UInt16.self))
    }

    /// Copies the text before the `index`th master field's value (laid out) to `out`, a word
    /// at a time (up to 7 bytes past it), and returns its length.
    @inline(__always)
    @unsafe func copyText(_ index: Int, to out: UnsafeMutableRawPointer) -> Int {
      let slot = 2 &* Self.pairsBytes &+ index &* 4
      let offset = unsafe Int(room.load(fromByteOffset: slot, as: UInt16.self))
      let length = unsafe Int(room.load(fromByteOffset: slot &+ 2, as: UInt16.self))
      var copied = 0
      repeat {
        unsafe out.storeBytes(
          of: room.load(fromByteOffset: offset &+ copied, as: UInt64.self),
          toByteOffset: copied, as: UInt64.self)
        copied &+= 8
      } while copied < length
      return length
    }
  }
}
