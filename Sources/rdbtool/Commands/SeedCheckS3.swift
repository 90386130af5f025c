import RDBKit

/// The s3 rule of `seed-check`: for `s3://` inputs, the bucket checks of
/// `rdbtool s3 check-bucket` (``ExportBucketCheck``) once per bucket, and each object's size.
/// Local inputs have none.
enum SeedCheckS3 {
  static func findings(_ sources: [InputSource], client: S3Client?) -> [SeedFinding] {
    var objects: [(S3URL, S3ObjectInfo)] = []
    for source in sources {
      if case .s3(let url, let object) = source.location { objects.append((url, object)) }
    }
    guard let client, !objects.isEmpty else { return [] }
    var findings: [SeedFinding] = []
    var buckets: [String] = []
    for (url, _) in objects where !buckets.contains(url.bucket) { buckets.append(url.bucket) }
    for bucket in buckets {
      let report = ExportBucketCheck(client: client).run(bucket: bucket)
      for finding in report.findings {
        let status: SeedFinding.Status =
          switch finding.severity {
          case .pass: .pass
          case .warning: .warn
          case .failure: .fail
          }
        findings.append(
          SeedFinding(
            .s3, status, "bucket \(bucket), \(finding.rule.rawValue): \(finding.message)",
            advice: status == .pass ? nil : "rdbtool s3 check-bucket \(bucket) says more"))
      }
    }
    for (url, object) in objects {
      findings.append(
        SeedFinding(.s3, .pass, "\(url): \(object.size) bytes, read in full by this check"))
    }
    return findings
  }
}
