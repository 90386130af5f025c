internal import CLZF

/// LZF compression through liblzf, as Redis compresses strings when it saves with
/// `rdbcompression yes`: the result is kept only when it is at least 4 bytes shorter.
///
/// The output buffer is owned here and reused from string to string; a result is valid until
/// the next call.
@safe final class LZFCompressor {
  private var output = unsafe UnsafeMutableRawBufferPointer(start: nil, count: 0)

  init() {}

  deinit {
    unsafe output.deallocate()
  }

  /// The compressed form of `input`, or nil when it would not save 4 bytes.
  ///
  /// The corresponding C function is `lzf_compress`, which returns 0 when the output does not
  /// fit the room it is given (here: the input's length less 4).
  @unsafe func compress(_ input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    guard input.count > 4, input.count <= Int(UInt32.max), let source = input.baseAddress else {
      return nil
    }
    let room = input.count &- 4
    if unsafe output.count < room {
      unsafe output.deallocate()
      unsafe output = .allocate(byteCount: max(room, 4096), alignment: 16)
    }
    let produced = unsafe lzf_compress(
      source, UInt32(input.count), output.baseAddress, UInt32(room))
    guard produced > 0 else { return nil }
    return unsafe UnsafeRawBufferPointer(rebasing: output[..<Int(produced)])
  }

  /// Compresses `input` into the `room` bytes at `output` (the caller's buffer, so that the
  /// result needs no copy), and returns the compressed length, or nil when the result does
  /// not fit `room`: pass the input's length less 4 for Redis's rule.
  @unsafe static func compress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer, room: Int
  ) -> Int? {
    guard room > 0, input.count <= Int(UInt32.max), let source = input.baseAddress else {
      return nil
    }
    let produced = unsafe lzf_compress(
      source, UInt32(input.count), output, UInt32(truncatingIfNeeded: min(room, input.count)))
    return produced > 0 ? Int(produced) : nil
  }
}
