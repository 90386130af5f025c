import Foundation
import RDBKit
import SystemPackage

/// Runs an ``RDBWriter`` into a memory file and hands back what it wrote, so that a test
/// can feed the writer events by hand (as a generator does) or from a parse, and then parse
/// the bytes again.
enum WriterOutput {
  /// What one run of the writer produced.
  struct Result {
    /// The whole file.
    var bytes: [UInt8]
    /// The writer after ``RDBWriter/finish()``: its losses, key count and engine.
    var writer: RDBWriter
  }

  /// Calls `body` with a fresh writer for `options`, finishes the writer and returns the file.
  ///
  /// The file is unlinked as soon as it is created (`mkstemp`, then `unlink`): nothing is
  /// left behind, and no `FilePath` is built per file (a run writes thousands).
  static func write(
    _ options: RDBWriter.Options, _ body: (inout RDBWriter) throws -> Void
  ) throws -> Result {
    var template = Array((temporaryDirectory + "/rdbkit-writer-XXXXXX").utf8CString)
    let raw = mkstemp(&template)
    guard raw >= 0 else { throw Errno(rawValue: errno) }
    unlink(template)
    let descriptor = FileDescriptor(rawValue: raw)
    defer { try? descriptor.close() }
    var writer = RDBWriter(output: OutputBuffer(descriptor: descriptor), options: options)
    try body(&writer)
    try writer.finish()
    let size = try descriptor.seek(offset: 0, from: FileDescriptor.SeekOrigin.end)
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let read = try bytes.withUnsafeMutableBytes {
      try descriptor.read(fromAbsoluteOffset: 0, into: $0)
    }
    guard read == bytes.count else { throw Errno.ioError }
    return Result(bytes: bytes, writer: writer)
  }

  /// The directory for the files (`TMPDIR`, or `/tmp`).
  static let temporaryDirectory = FileManager.default.temporaryDirectory.path

  /// Parses `source` straight into a writer for `options` (a rewrite) and returns the file.
  static func rewrite(_ source: [UInt8], _ options: RDBWriter.Options) throws -> Result {
    try write(options) { writer in try RDBParser().parse(source, into: &writer) }
  }

  /// The options of a writer fed by hand for `target` with the server's defaults, compression
  /// as asked. Values are never copied: a hand-fed key has no file bytes to copy, and a writer
  /// that copies answers ``KeyDecision/copy`` for every plain type (the key would be left out).
  static func handFed(_ target: TargetEngine?, compresses: Bool = true) -> RDBWriter.Options {
    var options = RDBWriter.Options(target: target)
    options.compresses = compresses
    options.copiesValues = false
    return options
  }

  /// Every RDB format the parser reads, as bare targets: RDB 1–13 and Valkey's 80.
  static let formats: [TargetEngine] =
    (1...RDBVersion.newestRedis).map {
      TargetEngine.format(RDBVersion(magic: .redis, number: $0))
    } + [TargetEngine.format(RDBVersion(magic: .valkey, number: RDBVersion.newestValkey))]
}
