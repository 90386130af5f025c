/// Listpack hashes (type 16) for a ziplist format (RDB 4–9), moved element by element from
/// the value's stored bytes instead of being decoded into text and encoded again: the writer
/// asks for the bytes (``KeyDecision/copy``), decompresses the listpack, and appends each
/// element to the ziplist as it is stored, an integer as an integer and a string as a string.
/// The ziplist is the one the decoded path builds, byte for byte.
///
/// A hash too large for a ziplist (more fields than the target's `hash-max-ziplist-entries`,
/// or a field or value over `-value`) is written as a hash table from the same walk's bytes:
/// each element as the string the decoded path would write, an integer as its text (so one
/// that fits 32 bits integer-encoded), a string as it is (LZF-compressed over 20 bytes as
/// any string). The listpack is decompressed once, not once more by a decoder.
///
/// As for a copied value, the input's checksum vouches for the elements: the listpack's
/// structure is checked as it is walked (a whole walk before anything is written), but not
/// the parser's element checks (a field that appears twice; the read-back still finds one in
/// a hash table). Bytes this does not read are decoded as before
/// (``decodeCopiedValue(_:_:)``), which also reports any damage.
extension RDBWriter {
  /// Whether a value of `type` is transcoded from its bytes for this format.
  func transcodes(_ type: ValueType) -> Bool {
    type == .hashListpack && format.hasZiplistHashes && !format.hasListpacks
  }

  /// Writes the listpack hash whose stored bytes are `bytes` as a ziplist hash.
  mutating func transcodeHash(_ bytes: RawSpan, _ info: KeyInfo) throws(RDBError) {
    let written = unsafe bytes.withUnsafeBytes { raw in
      guard let (blob, compressed) = unsafe storedString(raw) else { return false }
      return unsafe writeZiplistHash(blob, compressed: compressed, info)
    }
    if !written { try decodeCopiedValue(bytes, info) }
  }

  /// Writes the record when the listpack `blob` is whole: as a ziplist hash when the hash
  /// fits one, else as a hash table.
  ///
  /// One walk builds the ziplist and checks the limits as it goes; once a limit is passed it
  /// only checks the rest of the listpack, and a second walk writes the hash table. A
  /// listpack that breaks off, or holds an odd number of elements, leaves nothing written
  /// but the scratch blob.
  @unsafe private mutating func writeZiplistHash(
    _ blob: UnsafeRawBufferPointer, compressed: Bool, _ info: KeyInfo
  ) -> Bool {
    let limits = engine.limits
    let (doubled, overflow) = limits.hashEntries.multipliedReportingOverflow(by: 2)
    let mostElements = overflow ? Int.max : doubled
    // An integer's text is at most 20 bytes: only a lower limit needs its length.
    let measuresIntegers = limits.hashValue < 20
    var count = 0
    var fits = true
    packed.reset()
    do throws(RDBError) {
      var reader = unsafe try ListpackReader(blob, origin: 0)
      while true {
        // Short strings with one-byte backlens (most fields and values) first, inline.
        if let string = unsafe reader.nextShortString() {
          count &+= 1
          guard fits else { continue }
          if count > mostElements || string.count > limits.hashValue {
            fits = false
          } else {
            unsafe packed.append(shortString: string)
          }
          continue
        }
        guard let element = try reader.next() else { break }
        count &+= 1
        guard fits else { continue }
        if count > mostElements {
          fits = false
        } else if element.isInteger {
          if measuresIntegers, IntegerText.length(of: element.integer) > limits.hashValue {
            fits = false
          } else {
            packed.append(integer: element.integer)
          }
        } else if unsafe element.string.count > limits.hashValue {
          fits = false
        } else {
          unsafe packed.append(unsafeBytes: element.string)
        }
      }
    } catch {
      return false
    }
    guard count > 0, count % 2 == 0 else { return false }
    writeKeyPrefix(info)
    guard fits else {
      unsafe writeHashTable(blob, fields: count / 2)
      return true
    }
    packed.finish()
    writeTypeAndKey(.hashZiplist)
    // As ``valueBlob(_:)`` decides for a decoded value.
    encoder.leavesBlobsUncompressed = blob.count > 20 && !compressed
    unsafe encoder.blob(unsafeBytes: packed.blob.buffer)
    encoder.leavesBlobsUncompressed = false
    return true
  }

  /// Writes the hash whose listpack `blob` (already walked whole) holds `fields` pairs as a
  /// hash table (type 4), each element as ``writeHash`` writes a decoded one.
  @unsafe private mutating func writeHashTable(_ blob: UnsafeRawBufferPointer, fields: Int) {
    writeTypeAndKey(.hash)
    encoder.length(UInt64(fields))
    // The walk that checked the listpack found every element: this one cannot fail.
    guard var reader = unsafe try? ListpackReader(blob, origin: 0) else { return }
    while let element = unsafe try? reader.next() {
      guard element.isInteger else {
        unsafe encoder.string(unsafeBytes: element.string)
        continue
      }
      // The decoded path writes an integer's text, which ``RDBEncoder/string(unsafeBytes:)``
      // stores integer-encoded when it fits 32 bits, and as its digits (20 bytes at most,
      // never compressed) when not.
      if let small = Int32(exactly: element.integer) {
        encoder.integerString(small)
      } else {
        unsafe withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { text in
          let length = unsafe IntegerText.write(element.integer, into: text)
          unsafe encoder.string(unsafeBytes: UnsafeRawBufferPointer(rebasing: text[..<length]))
        }
      }
    }
  }

  /// The string `raw` holds, when it is exactly one RDB string stored raw or LZF-compressed
  /// (decompressed into ``transcodeScratch``), and whether it was compressed; nil for any
  /// other form, or lengths that do not add up (the decoder then says what is wrong).
  @unsafe private func storedString(_ raw: UnsafeRawBufferPointer)
    -> (UnsafeRawBufferPointer, compressed: Bool)?
  {
    var position = 0
    guard let first = raw.first else { return nil }
    if first == 0xC3 {
      position = 1
      guard let stored = unsafe StoredLength.read(raw, at: &position),
        let length = unsafe StoredLength.read(raw, at: &position),
        stored == raw.count &- position, length > 0, length <= stored &* 88
      else { return nil }
      let output = unsafe transcodeScratch.resize(to: length)
      guard
        unsafe LZF.decompress(UnsafeRawBufferPointer(rebasing: raw[position...]), into: output)
          == nil
      else { return nil }
      return unsafe (UnsafeRawBufferPointer(output), true)
    }
    guard let length = unsafe StoredLength.read(raw, at: &position), length == raw.count &- position
    else { return nil }
    return unsafe (UnsafeRawBufferPointer(rebasing: raw[position...]), false)
  }
}
