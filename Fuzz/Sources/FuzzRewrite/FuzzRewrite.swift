import RDBKit
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz target: an input the parser accepts is rewritten for several targets (its own
/// version, Redis 6.2, 7.0 and 8.6, Valkey 9.1), values copied where they can be and encoded
/// again where they cannot, losses allowed; each output must parse again, checksum and all,
/// with exactly the keys the writer says it wrote, and, when the writer declares no loss, the
/// same keys and values as the input (``KeyRecords``). A writer error on accepted input, an
/// output the parser refuses, a different key count or different contents stop the run as a
/// crash.
func fuzzRewrite(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  var original = KeyRecords()
  guard (try? RDBParser().parse(bytes, into: &original)) != nil else { return 0 }
  for target in RewriteTargets.all {
    let name = target?.name ?? "the same version"
    let (output, written, lossless) = RewriteTargets.rewrite(bytes, for: target)
    var check = KeyRecords()
    do {
      _ = try RDBParser().parse(output, into: &check)
    } catch {
      fatalError("the rewrite for \(name) does not parse: \(error)")
    }
    if check.lines.count != written {
      fatalError(
        "the rewrite for \(name) holds \(check.lines.count) keys, the writer wrote \(written)")
    }
    if lossless, check.lines != original.lines {
      let difference =
        zip(original.lines, check.lines).first { $0 != $1 }.map { "\($0.0) became \($0.1)" }
        ?? "\(original.lines.count) keys became \(check.lines.count)"
      fatalError(
        "the rewrite for \(name) declares no loss but reads back differently: \(difference)")
    }
  }
  return 0
}

enum RewriteTargets {
  /// nil keeps the input's version.
  static let all: [TargetEngine?] =
    [nil] + ["redis-6.2", "redis-7.0", "redis-8.6", "valkey-9.1"].map(TargetEngine.named)

  /// The file `target`'s writer makes of `bytes`, the keys it wrote, and whether it declared
  /// no loss.
  static func rewrite(_ bytes: [UInt8], for target: TargetEngine?) -> ([UInt8], Int, Bool) {
    // An unlinked temporary file: nothing is left behind when the run stops.
    var template = Array("/tmp/rdbkit-fuzz-XXXXXX".utf8CString)
    let raw = mkstemp(&template)
    guard raw >= 0 else { fatalError("mkstemp: errno \(errno)") }
    unlink(template)
    let descriptor = FileDescriptor(rawValue: raw)
    defer { try? descriptor.close() }
    var writer = RDBWriter(
      output: OutputBuffer(descriptor: descriptor), options: .init(target: target))
    do {
      _ = try RDBParser().parse(bytes, into: &writer)
      try writer.finish()
    } catch {
      fatalError(
        "rewriting an accepted input for \(target?.name ?? "its version") failed: \(error)")
    }
    do {
      let size = try descriptor.seek(offset: 0, from: FileDescriptor.SeekOrigin.end)
      var output = [UInt8](repeating: 0, count: Int(size))
      let read = try output.withUnsafeMutableBytes {
        try descriptor.read(fromAbsoluteOffset: 0, into: $0)
      }
      guard read == output.count else { fatalError("short read of the rewritten file") }
      return (output, writer.keysWritten, writer.losses.isEmpty)
    } catch {
      fatalError("reading the rewritten file back: \(error)")
    }
  }
}
