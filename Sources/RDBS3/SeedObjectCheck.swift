import RDBKit

/// Whether ElastiCache can read a seed's `.rdb` objects in S3: the `s3` rule of
/// `rdbtool seed-check` (``SeedCheck``), each finding with the `aws` or `rdbtool` command
/// that fixes it.
///
/// - every object named exists (an export prefix has every shard file from 0001 on) and is
///   not empty; the sizes are reported;
/// - each bucket passes ``ExportBucketCheck`` for ``ExportBucketCheck/Purpose/seed``: in the
///   cluster's region when it is known, the ACL granting the ElastiCache canonical user READ
///   and READ_ACP (opt-in regions: the policy allowing the regional service principal
///   `s3:ListBucket` and `s3:GetBucketAcl`);
/// - each object is readable by ElastiCache: its ACL grants the canonical user READ (opt-in
///   regions: the bucket policy allows `s3:GetObject` on it).
///
///     let findings = SeedObjectCheck(client: client).findings(
///       for: [.init(url: url, objects: try client.exportObjects(url))], targetRegion: "eu-west-1")
public struct SeedObjectCheck: Sendable {
  /// One `s3://` argument and the objects it named.
  public struct Input: Sendable {
    /// The argument.
    public var url: S3URL
    /// The objects found for it; empty when there is no such object or shard file.
    public var objects: [S3ObjectInfo]

    /// Describes one argument.
    public init(url: S3URL, objects: [S3ObjectInfo]) {
      self.url = url
      self.objects = objects
    }
  }

  /// The client the bucket and object ACLs and policies are read through (it needs
  /// s3:GetBucketLocation, s3:GetBucketAcl, s3:GetBucketPolicy and s3:GetObjectAcl).
  public let client: S3Client

  /// A check reading through `client`.
  public init(client: S3Client) { self.client = client }

  /// Every finding for `inputs`: objects and sizes, then per bucket its grants and region,
  /// then the objects' grants. Blocks while it sends its requests.
  public func findings(for inputs: [Input], targetRegion: String?) -> [SeedFinding] {
    var findings = Self.objectFindings(inputs)
    var buckets: [String] = []
    for input in inputs where !buckets.contains(input.url.bucket) {
      buckets.append(input.url.bucket)
    }
    for bucket in buckets {
      let objects = inputs.filter { $0.url.bucket == bucket }.flatMap(\.objects)
      let report = ExportBucketCheck(client: client).run(
        bucket: bucket, cacheRegion: targetRegion, purpose: .seed)
      findings += Self.bucketFindings(report, objects: objects, targetRegion: targetRegion)
      guard let region = report.region else { continue }
      findings += accessFindings(
        bucket: bucket, region: region, objects: objects.filter { $0.size > 0 },
        policy: report.policy)
    }
    return findings
  }

  // MARK: Objects and sizes

  /// Missing objects, missing shard files, empty objects, and the sizes.
  static func objectFindings(_ inputs: [Input]) -> [SeedFinding] {
    var findings: [SeedFinding] = []
    for input in inputs {
      let url = input.url
      if input.objects.isEmpty {
        let folder = url.key.isEmpty || url.key.hasSuffix("/")
        let (what, destination) =
          url.key.hasSuffix(".rdb")
          ? ("\(url) does not exist", "\(url)")
          : folder
            ? ("\(url) holds no .rdb object", "\(url)dump.rdb")
            : ("\(url) has no shard files (\(url.key)-0001.rdb, …)", "\(url)-0001.rdb")
        findings.append(
          SeedFinding(
            .s3, .fail, what,
            advice: "upload the .rdb file there, or name the objects that hold it",
            command: ["aws", "s3", "cp", "dump.rdb", destination]))
      }
      guard !url.key.hasSuffix(".rdb"), !url.key.hasSuffix("/"), !url.key.isEmpty else {
        continue
      }
      let numbers = Set(input.objects.compactMap { S3Client.shardNumber($0.key, prefix: url.key) })
      guard let last = numbers.max(), last > 0 else { continue }
      for gap in (1...last) where !numbers.contains(gap) {
        let digits = String(gap)
        let name =
          "\(url.key)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits).rdb"
        findings.append(
          SeedFinding(
            .s3, .fail,
            "s3://\(url.bucket)/\(name) is missing: the export has shard files "
              + "\(numbers.sorted().map(String.init).joined(separator: ", ")) of \(numbers.max() ?? 0)",
            advice: "put the missing shard's file there (each shard is seeded from its own file)",
            command: ["aws", "s3", "cp", name, "s3://\(url.bucket)/\(name)"]))
      }
    }
    let objects = inputs.flatMap { input in input.objects.map { (input.url.bucket, $0) } }
    for (bucket, object) in objects where object.size == 0 {
      findings.append(
        SeedFinding(
          .s3, .fail, "s3://\(bucket)/\(object.key) is empty (0 bytes): it seeds nothing",
          advice: "upload the .rdb file again",
          command: ["aws", "s3", "cp", "dump.rdb", "s3://\(bucket)/\(object.key)"]))
    }
    guard !objects.isEmpty else { return findings }
    let total = objects.reduce(0) { $0 + Int($1.1.size) }
    let sizes = objects.map { "s3://\($0.0)/\($0.1.key) \(SeedCheck.bytes(Int($0.1.size)))" }
    // The sizes are a report; what is wrong with them is a finding of its own above.
    findings.append(
      SeedFinding(
        .s3, .pass,
        "\(objects.count) object\(objects.count == 1 ? "" : "s"), \(SeedCheck.bytes(total)): "
          + sizes.joined(separator: ", ")))
    return findings
  }
}
