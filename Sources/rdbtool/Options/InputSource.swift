import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

/// One input to read: a local path, standard input (`-`), or one S3 object.
struct InputSource: Sendable {
  enum Location: Sendable {
    case local(String)
    case s3(S3URL, S3ObjectInfo)
  }

  /// How the input is named in output and messages.
  let name: String
  let location: Location

  /// Whether the input is a local file (not standard input, not S3): cheap to read twice.
  var isLocalFile: Bool {
    if case .local(let path) = location { return path != "-" }
    return false
  }

  /// Whether the parser maps this input (a regular file, or standard input redirected from
  /// one, not gzip or zstd) rather than reading it as a stream.
  var isMappable: Bool {
    guard let (descriptor, owned) = openLocal() else { return false }
    defer { if owned { try? descriptor.close() } }
    guard MappedFile.isRegularFile(descriptor) else { return false }
    var magic = [UInt8](repeating: 0, count: 8)
    let count =
      (try? magic.withUnsafeMutableBytes { try descriptor.read(fromAbsoluteOffset: 0, into: $0) })
      ?? 0
    return Compression.detect(magic.prefix(count)) == nil
  }

  /// The local input opened for reading (standard input for `-`), and whether the caller
  /// owns the descriptor and must close it; nil for an S3 object or a file that cannot be
  /// opened.
  func openLocal() -> (descriptor: FileDescriptor, owned: Bool)? {
    guard case .local(let path) = location else { return nil }
    if path == "-" { return (.standardInput, false) }
    guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly) else { return nil }
    return (descriptor, true)
  }

  /// Turns INPUT arguments into inputs: an `s3://` prefix becomes its export's shard files.
  /// Prints `rdbtool: INPUT: message` and exits 1 when S3 cannot be reached or listed; a
  /// malformed `s3://` URL is a usage error.
  static func resolve(_ arguments: [String], s3 options: S3Options) throws -> (
    inputs: [InputSource], client: S3Client?
  ) {
    var inputs: [InputSource] = []
    var client: S3Client?
    for argument in arguments {
      guard argument.hasPrefix("s3://") else {
        inputs.append(InputSource(name: argument, location: .local(argument)))
        continue
      }
      let url: S3URL
      do {
        url = try S3URL(parsing: argument)
      } catch {
        throw ValidationError("\(error)")
      }
      do {
        let s3 = try client ?? options.client()
        client = s3
        for object in try s3.exportObjects(url) {
          let objectURL = try S3URL(bucket: url.bucket, key: object.key)
          inputs.append(InputSource(name: objectURL.description, location: .s3(objectURL, object)))
        }
      } catch {
        StandardError.report(argument, "\(error)")
        throw ExitCode.failure
      }
    }
    ProgressBoard.expect(files: inputs.count, bytes: totalBytes(of: inputs))
    return (inputs, client)
  }

  /// The inputs' sizes added up, or nil when one is not known in advance (a pipe).
  ///
  /// A local input counts only when the path itself is a regular file (`lstat`: not through
  /// a symbolic link); `lstat` rather than `FileManager`, whose first use costs more than
  /// parsing a small file.
  private static func totalBytes(of inputs: [InputSource]) -> Int? {
    var total = 0
    for input in inputs {
      switch input.location {
      case .s3(_, let object): total += Int(object.size)
      case .local(let path):
        var status = stat()
        guard path != "-", lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG
        else { return nil }
        total += Int(status.st_size)
      }
    }
    return total
  }

  /// Parses this input into `handler`, with a progress bar unless `quiet`. With
  /// `leavingToChecksum`, a pipe or an S3 object has the compressed values the handler does
  /// not read left to the checksum too (a mapped file always has): the caller must then
  /// say so when the trailer turns out zero (``ParseSummary/uncheckedPackedValues``).
  /// `decodesEverything` is ``RDBParser/decodesEverything``.
  /// - Throws: the parse error, or for S3 the underlying ``S3Error``; `Errno` for local I/O.
  @discardableResult
  func parse<H: RDBHandler>(
    into handler: inout H, client: S3Client?, options: S3Options, quiet: Bool,
    leavingToChecksum: Bool = false, decodesEverything: Bool = false
  ) throws -> ParseSummary {
    let progress = ParseProgress()
    if case .local("-") = location, !quiet, isatty(STDIN_FILENO) == 1 {
      StandardError.write(
        "rdbtool: reading an RDB file from standard input (the terminal): pipe one in, or end "
          + "with Ctrl-D")
    }
    let bar = ProgressBar(progress, label: name, quiet: quiet)
    defer { bar?.stop() }
    let parser = RDBParser(progress: progress, decodesEverything: decodesEverything)
    switch location {
    case .local("-") where isatty(STDIN_FILENO) == 1:
      return try parser.parse(
        input: TerminalInput(), leavingStringsToChecksum: leavingToChecksum,
        leavingPackedValuesToChecksum: leavingToChecksum, into: &handler)
    case .local(let path):
      return try parser.parse(path: path, leavingToChecksum: leavingToChecksum, into: &handler)
    case .s3(let url, let object):
      guard let client else { throw S3Error(.invalidConfiguration, message: "no S3 client") }
      progress.expectTotal(Int(object.size))
      let input = try client.objectInput(url, options: options.objectOptions)
      do {
        return try parser.parse(
          input: input, leavingStringsToChecksum: leavingToChecksum,
          leavingPackedValuesToChecksum: leavingToChecksum, into: &handler)
      } catch {
        // A failed transfer surfaces in the parser as a read error; report the S3 cause.
        throw input.failure.map { $0 as any Error } ?? error
      }
    }
  }
}

/// Shared options of commands that read RDB inputs.
struct InputOptions: ParsableArguments {
  @OptionGroup(title: "S3") var s3: S3Options

  @Flag(name: .shortAndLong, help: "Show no progress bar (one is drawn only on a terminal).")
  var quiet = false
}
