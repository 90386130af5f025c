import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  /// `rdbtool export`: ElastiCache's CopySnapshot to S3, then wait for and verify the files.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Export an ElastiCache snapshot to S3 (CopySnapshot), wait for it, verify it.",
      usage: "rdbtool export --snapshot <s> --target-name <t> --bucket <b> [<options>]",
      discussion: """
        Calls ElastiCache's CopySnapshot (Query API 2015-02-02, signed for service \
        elasticache) with SourceSnapshotName, TargetSnapshotName and TargetBucket. \
        ElastiCache then writes one object per shard, <target-name>-0001.rdb, \
        <target-name>-0002.rdb and so on, into the bucket, which must be in the \
        snapshot's region and grant ElastiCache \
        access ('rdbtool s3 prepare-bucket' does that). Each error ElastiCache answers is \
        one line with its fix: a permission the bucket does not grant (READ, WRITE or \
        READ_ACP) names the prepare-bucket command; a snapshot that does not exist, \
        throttling and a wrong region say what to do.

        --wait reads the shard count with DescribeSnapshots and polls the bucket (backoff \
        with jitter, a progress line on a terminal) until every shard object is there; S3 \
        lists an object only once its upload is complete. --verify waits too, then \
        verifies the export as 'rdbtool verify s3://BUCKET/TARGET-NAME' does. --dry-run \
        prints the CopySnapshot request and sends nothing.

        The ElastiCache endpoint is https://elasticache.REGION.amazonaws.com unless \
        --elasticache-endpoint-url, AWS_ENDPOINT_URL_ELASTICACHE or AWS_ENDPOINT_URL says \
        otherwise; S3 follows the usual S3 options and variables.

        Exits 0 when the export was accepted (and, with --wait or --verify, is complete and \
        valid), 1 when ElastiCache refused it, the wait timed out or a file is corrupt, 2 \
        for usage errors, 130 when interrupted.

        Examples:
          rdbtool export --snapshot nightly --target-name nightly-s3 --bucket backups
          rdbtool export --snapshot nightly --target-name n1 --bucket b --verify
          rdbtool export --snapshot nightly --target-name n1 --bucket b --dry-run
        """)

    @Option(help: "The ElastiCache snapshot to export.")
    var snapshot: String

    @Option(help: "The name of the export: objects are <target-name>-0001.rdb, ….")
    var targetName: String

    @Option(help: "The S3 bucket, in the snapshot's region.", transform: BucketName.parse)
    var bucket: String

    @Option(help: "The snapshot's region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile).")
    var region: String?

    @Flag(help: "Wait until every shard object is in the bucket.")
    var wait = false

    @Flag(help: "Wait, then verify every shard object (as rdbtool verify does).")
    var verify = false

    @Flag(help: "Print the CopySnapshot request and send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Give up waiting after this many seconds.", valueName: "SECONDS"))
    var waitTimeout: Int = 3600

    @Option(
      help: ArgumentHelp(
        "ElastiCache endpoint (default: AWS_ENDPOINT_URL_ELASTICACHE, AWS_ENDPOINT_URL).",
        valueName: "URL"))
    var elasticacheEndpointURL: String?

    @Flag(name: .shortAndLong, help: "Draw no progress line.")
    var quiet = false

    @OptionGroup(title: "S3") var connection: S3ConnectionOptions

    func validate() throws {
      guard (1...1000).contains(targetName.count) else {
        throw ValidationError(
          "--target-name must be 1 to 1,000 characters (it has \(targetName.count)).")
      }
      guard !targetName.contains("\u{FFFD}") else {
        throw ValidationError("--target-name is not valid UTF-8.")
      }
      guard !snapshot.isEmpty else { throw ValidationError("--snapshot must not be empty.") }
      guard waitTimeout > 0 else { throw ValidationError("--wait-timeout must be at least 1.") }
    }

    func run() throws {
      let s3: S3Client
      do {
        s3 = try connection.client(region: region)
      } catch {
        StandardError.report(snapshot, "\(error)")
        throw ExitCode.failure
      }
      let region = s3.endpoint.region
      let elastiCache = ElastiCacheClient(
        region: region,
        endpointURL: ElastiCacheClient.endpoint(
          option: elasticacheEndpointURL, environment: ProcessInfo.processInfo.environment),
        credentials: s3.credentialProvider, transport: s3.transport,
        retryPolicy: RetryPolicy(maxAttempts: 4))
      if dryRun {
        print("POST \(elastiCache.url)")
        print("Content-Type: application/x-www-form-urlencoded; charset=utf-8")
        print("")
        print(
          ElastiCacheClient.copySnapshotBody(source: snapshot, target: targetName, bucket: bucket))
        return
      }
      let copy: ElastiCacheSnapshot
      let shards: Int
      do {
        copy = try elastiCache.copySnapshot(source: snapshot, target: targetName, bucket: bucket)
        shards =
          wait || verify ? try elastiCache.describeSnapshot(named: snapshot).shardCount : 0
      } catch {
        StandardError.report(
          snapshot,
          "\(ExportAdvice(s3: s3, region: region, bucket: bucket).explain(error, snapshot: snapshot))"
        )
        throw ExitCode.failure
      }
      print(
        "\(snapshot): CopySnapshot accepted (\(copy.status)), writing "
          + "s3://\(bucket)/\(targetName)-NNNN.rdb")
      guard wait || verify else { return }
      let waiter = ExportWait(
        client: s3, bucket: bucket, target: targetName, shards: shards,
        timeout: Double(waitTimeout), drawsProgress: !quiet && isatty(STDERR_FILENO) == 1)
      do {
        let objects = try waiter.run()
        let bytes = objects.reduce(Int64(0)) { $0 + $1.size }
        print("s3://\(bucket)/\(targetName): \(objects.count) of \(shards) shards, \(bytes) bytes")
      } catch {
        StandardError.report("s3://\(bucket)/\(targetName)", "\(error)")
        throw ExitCode.failure
      }
      guard verify else { return }
      var arguments = ["s3://\(bucket)/\(targetName)", "--region", region]
      if let endpoint = connection.endpointURL { arguments += ["--endpoint-url", endpoint] }
      if let profile = connection.profile { arguments += ["--profile", profile] }
      if connection.pathStyle { arguments.append("--path-style") }
      if quiet { arguments.append("--quiet") }
      let command = try Verify.parse(arguments)
      try command.run()
    }
  }
}
