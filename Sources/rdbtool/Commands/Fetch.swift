import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

extension RDBTool {
  /// `rdbtool fetch`: downloads RDB files from S3 into a directory, checking them on the way.
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fetch",
      abstract: "Download RDB files from S3 into a directory, verifying them as they arrive.",
      usage: "rdbtool fetch [<options>] <sources> ... -o <DIR>",
      discussion: """
        Each object is saved as DIR/<last part of its key>. An s3:// prefix names every \
        shard file of an ElastiCache export (<prefix>-0001.rdb, -0002.rdb, …); a prefix \
        ending in '/' names every .rdb object below it. Shards are downloaded in parallel, \
        each with parallel ranged GETs (--part-size, --max-in-flight).

        The bytes are written to a temporary file in DIR and parsed in the same pass: the \
        file appears under its name only when its size matches the object's and its RDB \
        structure and CRC-64 checksum are valid (--no-verify checks only the size). A key \
        whose last part is empty, '.' or '..', or that has a '..' segment anywhere, is \
        refused: nothing is ever written outside DIR. DIR is created if missing; an \
        existing file of the same name is replaced.

        One line per object on standard output: 's3://b/k -> DIR/k: 1.2 GiB, OK'. Failures \
        are reported on standard error as 'rdbtool: s3://b/k: reason'.

        Exits 0 when every object was saved, 1 when one failed (S3 error, corrupt data, \
        size mismatch, unsafe key, I/O error), 2 for usage errors (including an s3:// URL \
        of one object whose key is unsafe).

        Examples:
          rdbtool fetch s3://backups/nightly/cache-0001.rdb -o restore/
          rdbtool fetch s3://backups/nightly/cache -o restore/
          rdbtool fetch --no-verify --region eu-west-1 s3://backups/nightly/ -o out/
          rdbtool fetch --endpoint-url http://127.0.0.1:9000 --path-style s3://b/k -o .
        """)

    @Argument(help: "s3:// URLs of objects, or s3:// export prefixes.")
    var sources: [String]

    @Option(
      name: .shortAndLong, help: ArgumentHelp("Directory to save the files in.", valueName: "DIR"))
    var output: String

    @Flag(help: "Skip parsing: check only that each file has the object's size.")
    var noVerify = false

    @OptionGroup var options: InputOptions

    func validate() throws {
      guard !sources.isEmpty else { throw ValidationError("Give at least one s3:// URL to fetch.") }
      for source in sources {
        guard source.hasPrefix("s3://") else {
          throw ValidationError("'\(source)' is not an s3:// URL; fetch only downloads from S3.")
        }
        let url: S3URL
        do {
          url = try S3URL(parsing: source)
        } catch {
          throw ValidationError("\(error)")
        }
        // One object's file name is known before anything is sent.
        if url.key.hasSuffix(".rdb") {
          do {
            _ = try FetchJob.fileName(forKey: url.key)
          } catch {
            throw ValidationError("\(source): \(error)")
          }
        }
      }
      guard !output.isEmpty else { throw ValidationError("-o DIR must not be empty.") }
      guard output != "-" else {
        throw ValidationError("-o takes the directory to save the files in, not '-'.")
      }
    }

    func run() throws {
      let directory = try Self.prepare(directory: output)
      let (resolved, resolvedClient) = try InputSource.resolve(sources, s3: options.s3)
      guard let client = resolvedClient else { throw ExitCode.failure }
      // An object named twice (a URL and a prefix that includes it) is fetched once.
      var seen = Set<String>()
      let sources = resolved.filter { seen.insert($0.name).inserted }
      let jobs = FetchJob.plan(sources, into: directory)
      let options = self.options
      let verify = !noVerify
      let quiet = options.quiet
      let outcomes = ShardRunner.map(sources) { source in
        guard let job = jobs.first(where: { $0.source.name == source.name }) else {
          return Result<String, FetchFailure>.failure(.unsafeKey("not planned"))
        }
        return job.run(client: client, options: options.s3, verify: verify, quiet: quiet)
      }
      var failed = 0
      for (source, outcome) in zip(sources, outcomes) {
        switch outcome {
        case .success(let line): print(line)
        case .failure(let failure):
          failed += 1
          StandardError.report(source.name, failure.description)
        }
      }
      if sources.count > 1 {
        print("\(sources.count) objects: \(sources.count - failed) OK, \(failed) failed")
      }
      if failed > 0 { throw ExitCode.failure }
    }

    /// Creates `path` (and its parents) if missing; exits 1 when it is not a directory.
    static func prepare(directory path: String) throws -> FilePath {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else {
          StandardError.report(path, "not a directory")
          throw ExitCode.failure
        }
      } else {
        do {
          try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true)
        } catch {
          StandardError.report(path, "cannot create the directory: \(error.localizedDescription)")
          throw ExitCode.failure
        }
      }
      return FilePath(path)
    }
  }
}

/// Why one object could not be fetched, as one line.
enum FetchFailure: Error, CustomStringConvertible {
  /// S3 refused or failed the transfer; its description carries the advice.
  case s3(S3Error)
  /// The bytes are not a valid RDB file.
  case corrupt(RDBError)
  /// The local file could not be created or written.
  case write(String, Errno)
  /// The transfer ended with a different number of bytes than HeadObject announced.
  case size(expected: Int64, received: Int)
  /// The key cannot be turned into a file name inside the directory.
  case unsafeKey(String)

  var description: String {
    switch self {
    case .s3(let error): return error.description
    case .corrupt(let error): return "CORRUPT: \(InputFailure.describe(error)); nothing was saved"
    case .write(let path, let error): return "cannot write \(path): \(error.description)"
    case .size(let expected, let received):
      return "received \(received) bytes but the object has \(expected); nothing was saved"
    case .unsafeKey(let reason): return "refusing to save: \(reason)"
    }
  }
}

/// One object to download and the file it goes to.
struct FetchJob: Sendable {
  /// The S3 object.
  let source: InputSource
  /// `DIR/<name>`, or why no safe name exists.
  let destination: Result<FilePath, FetchFailure>

  /// Maps each source to `directory/<last key component>`, refusing unsafe and duplicate names.
  static func plan(_ sources: [InputSource], into directory: FilePath) -> [FetchJob] {
    var taken: [String: String] = [:]
    return sources.map { source in
      guard case .s3(let url, _) = source.location else {
        return FetchJob(source: source, destination: .failure(.unsafeKey("not an S3 object")))
      }
      let destination: Result<FilePath, FetchFailure>
      do throws(FetchFailure) {
        let name = try fileName(forKey: url.key)
        if let earlier = taken[name.string] {
          destination = .failure(
            .unsafeKey("\(earlier) is also saved as '\(name)'; fetch the two separately"))
        } else {
          taken[name.string] = source.name
          destination = .success(directory.appending(name))
        }
      } catch {
        destination = .failure(error)
      }
      return FetchJob(source: source, destination: destination)
    }
  }

  /// The file name for `key`: its last `/`-separated part.
  /// - Throws: `.unsafeKey` when the key has a `..` segment or its last part is empty, `.`,
  ///   or holds a NUL byte, so that no key can name a file outside the directory.
  static func fileName(forKey key: String) throws(FetchFailure) -> FilePath.Component {
    let segments = key.split(separator: "/", omittingEmptySubsequences: false)
    if segments.contains("..") {
      throw .unsafeKey(
        "the key '\(key)' has a '..' segment, which could point outside the directory")
    }
    let last = String(segments.last ?? "")
    guard !last.utf8.contains(0), let component = FilePath.Component(last),
      component.kind == .regular
    else {
      throw .unsafeKey("the key '\(key)' does not end in a usable file name (empty or '.')")
    }
    return component
  }

  /// Downloads the object into a temporary file, verifies it, and renames it into place.
  /// - Returns: The report line, or the failure; the destination is untouched on failure.
  func run(client: S3Client, options: S3Options, verify: Bool, quiet: Bool)
    -> Result<String, FetchFailure>
  {
    guard case .s3(let url, let object) = source.location else {
      return .failure(.unsafeKey("not an S3 object"))
    }
    let path: FilePath
    switch destination {
    case .success(let value): path = value
    case .failure(let failure): return .failure(failure)
    }
    let file: AtomicFile
    do {
      file = try AtomicFile(destination: path)
    } catch {
      return .failure(.write(path.string, error))
    }
    let status: String
    do {
      let input = try client.objectInput(url, options: options.objectOptions)
      let tee = TeeInput(source: input, descriptor: file.descriptor)
      status = try verify ? parse(tee, size: object.size, quiet: quiet) : copy(tee)
      guard tee.written == object.size else {
        return .failure(.size(expected: object.size, received: tee.written))
      }
    } catch let error as S3Error {
      return .failure(.s3(error))
    } catch let failure as FetchFailure {
      return .failure(failure)
    } catch {
      return .failure(.s3(S3Error(.invalidResponse, message: "\(error)")))
    }
    do {
      try file.commit()
    } catch {
      return .failure(.write(path.string, error))
    }
    return .success(
      "\(source.name) -> \(path.string): \(ByteSize.text(Int(object.size))), \(status)")
  }

  /// Parses the object while it is written, then copies any bytes after the checksum.
  private func parse(_ tee: TeeInput, size: Int64, quiet: Bool) throws(FetchFailure) -> String {
    let progress = ParseProgress()
    progress.expectTotal(Int(size))
    let bar = ProgressBar(progress, label: source.name, quiet: quiet)
    defer { bar?.stop() }
    var handler = KeyCountAnalyzer()
    let summary: ParseSummary
    do {
      summary = try RDBParser(progress: progress).parse(input: tee, into: &handler)
    } catch {
      throw tee.failure(for: error)
    }
    _ = try copy(tee)
    let keys = handler.total.keys
    let checked = summary.checksum == .notChecked ? "OK (checksum not checked)" : "OK"
    return "\(checked), \(summary.version), \(keys) key\(keys == 1 ? "" : "s")"
  }

  /// Copies the rest of the object to the file without parsing it.
  private func copy(_ tee: TeeInput) throws(FetchFailure) -> String {
    do {
      try tee.drain()
    } catch {
      throw tee.failure(for: error)
    }
    return "OK (size checked, not parsed)"
  }
}
