import ArgumentParser
import RDBKit
import RDBS3

/// The inputs of `rdbtool seed-check`: local files as given; `s3://` arguments listed as the
/// reading commands list them, except that a missing object, an export prefix without
/// shard files or an empty object is a finding of the `s3` rule instead of the end of the
/// run (and is not scanned).
struct SeedCheckInputs {
  /// The inputs to scan.
  var sources: [InputSource] = []
  /// The `s3://` arguments and the objects each named, for ``SeedObjectCheck``.
  var s3: [SeedObjectCheck.Input] = []
  /// The client, when an argument is an `s3://` URL.
  var client: S3Client?

  /// Resolves `arguments`; prints `rdbtool: INPUT: message` and exits 1 when S3 cannot be
  /// reached or listed for another reason than a missing object.
  static func resolve(_ arguments: [String], s3 options: S3Options) throws -> SeedCheckInputs {
    var inputs = SeedCheckInputs()
    for argument in arguments {
      guard argument.hasPrefix("s3://") else {
        inputs.sources.append(InputSource(name: argument, location: .local(argument)))
        continue
      }
      do {
        let url = try S3URL(parsing: argument)
        let client = try inputs.client ?? options.client()
        inputs.client = client
        let objects = try Self.objects(url, client: client)
        inputs.s3.append(SeedObjectCheck.Input(url: url, objects: objects))
        for object in objects where object.size > 0 {
          let objectURL = try S3URL(bucket: url.bucket, key: object.key)
          inputs.sources.append(
            InputSource(name: objectURL.description, location: .s3(objectURL, object)))
        }
      } catch {
        StandardError.report(argument, "\(error)")
        throw ExitCode.failure
      }
    }
    return inputs
  }

  /// The objects `url` names; none when there is no such object or shard file.
  private static func objects(_ url: S3URL, client: S3Client) throws(S3Error) -> [S3ObjectInfo] {
    do {
      return try client.exportObjects(url)
    } catch {
      guard error.kind == .noSuchKey else { throw error }
      return []
    }
  }
}
