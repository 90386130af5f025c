/// LZF decompression with the checks of liblzf's `lzf_decompress` and Redis's sizes.
///
/// The decoder is liblzf's algorithm (the format has one meaning), written here so that
/// literal runs and back references of 8 bytes or more are copied a word at a time where
/// liblzf copies a byte at a time: LZF-compressed listpacks and stream nodes, which `verify`
/// decompresses to check them, spent a quarter to a third of its time in `lzf_decompress`.
/// It accepts exactly the inputs liblzf accepts and produces the same bytes and count
/// (`LZFDecoderTests` compares the two on compressed, damaged and random inputs).
enum LZF {
  /// The most bytes LZF can produce per compressed byte: a 3-byte back reference copies 264.
  static let maximumExpansion: UInt64 = 88

  /// Decompresses `compressed` into `output`, which must be exactly the announced length.
  ///
  /// Every run and reference is checked against both buffers, as `lzf_decompress` checks
  /// them.
  /// - Returns: nil on success, else why the data is corrupt.
  @unsafe static func decompress(
    _ compressed: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) -> String? {
    guard output.count > 0 else { return unsafe compressed.isEmpty ? nil : "announced length is 0" }
    guard let source = compressed.baseAddress, let destination = output.baseAddress else {
      return "no compressed bytes"
    }
    let produced = unsafe decode(
      source, count: compressed.count, into: destination, capacity: output.count)
    guard produced == output.count else {
      return produced == 0
        ? "data does not decompress to the announced \(output.count) bytes"
        : "decompresses to \(produced) bytes, \(output.count) announced"
    }
    return nil
  }

  /// Decodes `count` bytes at `input` into at most `capacity` bytes at `output`; returns the
  /// number of bytes produced, or 0 when the data is corrupt or does not fit, as
  /// `lzf_decompress` does.
  ///
  /// Each control byte is a literal run (`000LLLLL`: the next L + 1 bytes) or a back
  /// reference (`LLLOOOOO OOOOOOOO`, with one more length byte when L is 7: L + 2 bytes
  /// from O + 1 bytes back, which may overlap what it writes).
  @unsafe static func decode(
    _ input: UnsafeRawPointer, count: Int, into output: UnsafeMutableRawPointer, capacity: Int
  ) -> Int {
    // liblzf reads a first control byte even of an empty input; nothing decodes from none.
    guard count > 0 else { return 0 }
    var inputPosition = 0
    var outputPosition = 0
    repeat {
      let control = Int(unsafe input.load(fromByteOffset: inputPosition, as: UInt8.self))
      inputPosition &+= 1
      if control < 32 {
        let length = control &+ 1
        guard length <= capacity &- outputPosition, length <= count &- inputPosition else {
          return 0
        }
        if length <= 16, count &- inputPosition >= 16, capacity &- outputPosition >= 16 {
          // Two words, read and written inside both buffers; bytes past the run are written
          // over by what follows (a result shorter than the capacity is a failure anyway).
          let first = unsafe input.loadUnaligned(fromByteOffset: inputPosition, as: UInt64.self)
          let second = unsafe input.loadUnaligned(
            fromByteOffset: inputPosition &+ 8, as: UInt64.self)
          unsafe output.storeBytes(of: first, toByteOffset: outputPosition, as: UInt64.self)
          unsafe output.storeBytes(
            of: second, toByteOffset: outputPosition &+ 8, as: UInt64.self)
        } else {
          unsafe (output + outputPosition).copyMemory(
            from: input + inputPosition, byteCount: length)
        }
        inputPosition &+= length
        outputPosition &+= length
        continue
      }
      guard inputPosition < count else { return 0 }
      var length = control >> 5
      if length == 7 {
        length &+= Int(unsafe input.load(fromByteOffset: inputPosition, as: UInt8.self))
        inputPosition &+= 1
        guard inputPosition < count else { return 0 }
      }
      let distance =
        (control & 0x1F) << 8
        &+ Int(unsafe input.load(fromByteOffset: inputPosition, as: UInt8.self)) &+ 1
      inputPosition &+= 1
      length &+= 2
      guard length <= capacity &- outputPosition, distance <= outputPosition else { return 0 }
      let from = outputPosition &- distance
      if distance >= 8, capacity &- outputPosition >= length &+ 8 {
        // Each word read lies at least 8 bytes behind the one written, so it is complete.
        var copied = 0
        while copied < length {
          let word = unsafe output.loadUnaligned(fromByteOffset: from &+ copied, as: UInt64.self)
          unsafe output.storeBytes(
            of: word, toByteOffset: outputPosition &+ copied, as: UInt64.self)
          copied &+= 8
        }
      } else {
        // A nearer reference repeats the bytes it is writing: one at a time.
        for index in 0..<length {
          let byte = unsafe output.load(fromByteOffset: from &+ index, as: UInt8.self)
          unsafe output.storeBytes(of: byte, toByteOffset: outputPosition &+ index, as: UInt8.self)
        }
      }
      outputPosition &+= length
    } while inputPosition < count
    return outputPosition
  }
}
