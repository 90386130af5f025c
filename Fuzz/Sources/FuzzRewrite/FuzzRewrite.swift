import RDBKit
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz target: an input the parser accepts is rewritten for several targets (its own
/// version, Redis 6.2, 7.0 and 8.6, Valkey 9.1), values copied where they can be and encoded
/// again where they cannot, losses allowed; each output must parse again, checksum and all,
/// with exactly the keys the writer says it wrote. A writer error on accepted input, an
/// output the parser refuses or a different key count stops the run as a crash. Inputs with
/// a repeated field or member in a hash-table value are left out (see ``RepeatScan``).
func fuzzRewrite(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  var scan = RepeatScan()
  guard (try? RDBParser().parse(bytes, into: &scan)) != nil, !scan.foundRepeat else { return 0 }
  for target in RewriteTargets.all {
    let (output, written) = RewriteTargets.rewrite(bytes, for: target)
    var check = KeyCountAnalyzer()
    do {
      _ = try RDBParser().parse(output, into: &check)
    } catch {
      fatalError("the rewrite for \(target?.name ?? "the same version") does not parse: \(error)")
    }
    if check.total.keys != written {
      fatalError(
        "the rewrite for \(target?.name ?? "the same version") holds \(check.total.keys) keys, "
          + "the writer wrote \(written)")
    }
  }
  return 0
}

enum RewriteTargets {
  /// nil keeps the input's version.
  static let all: [TargetEngine?] =
    [nil] + ["redis-6.2", "redis-7.0", "redis-8.6", "valkey-9.1"].map(TargetEngine.named)

  /// The file `target`'s writer makes of `bytes`, and the keys it wrote.
  static func rewrite(_ bytes: [UInt8], for target: TargetEngine?) -> ([UInt8], Int) {
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
      return (output, writer.keysWritten)
    } catch {
      fatalError("reading the rewritten file back: \(error)")
    }
  }
}
