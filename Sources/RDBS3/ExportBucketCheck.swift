import RDBKit

/// Checks that an S3 bucket can receive ElastiCache (Redis OSS / Valkey) snapshot exports, the
/// logic behind `rdbtool s3 check-bucket`.
///
/// The rules, each reported as an ``ExportBucketFinding`` that says what to change:
/// - the bucket name is DNS-compliant;
/// - the bucket is in the cache's region (when that region is given);
/// - in regions enabled by default, the bucket ACL grants the ElastiCache canonical user
///   (``elastiCacheCanonicalUserID``, or ``govCloudCanonicalUserID`` in GovCloud) READ (List
///   objects), WRITE and READ_ACP;
/// - in opt-in regions (``optInRegions``), the bucket policy allows the regional service
///   principal `REGION.elasticache-snapshot.amazonaws.com` every action of
///   ``ExportBucketPolicy/actions`` on the bucket and its objects;
/// - warnings for ACL grants to AllUsers or AuthenticatedUsers and policy statements with a
///   `"*"` principal;
/// - in regions enabled by default, Object Ownership leaves ACLs enabled (not
///   `BucketOwnerEnforced`, the default of buckets made since 2023);
/// - the Block Public Access settings, reported with what they mean for ElastiCache.
///
/// A seed (``Purpose/seed``, `rdbtool seed-check`) needs less: ElastiCache only reads, so the
/// ACL must grant READ and READ_ACP and the policy `s3:GetObject`, `s3:ListBucket` and
/// `s3:GetBucketAcl`; the name rule does not apply.
///
///     let report = ExportBucketCheck(client: client).run(bucket: "rdb-exports", cacheRegion: "ap-east-1")
///     for finding in report.findings { print(finding) }
///     exit(report.passed ? 0 : 1)
public struct ExportBucketCheck: Sendable {
  /// The canonical user id of ElastiCache in the commercial partition.
  public static let elastiCacheCanonicalUserID =
    "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353"
  /// The canonical user id of ElastiCache in AWS GovCloud (US).
  public static let govCloudCanonicalUserID =
    "40fa568277ad703bd160f66ae4f83fc9dfdfd06c2f1b5060ca22442ac3ef8be6"
  /// Regions launched after 2019-03-20, which are disabled by default and use the bucket policy.
  public static let optInRegions: Set<String> = [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2",
    "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
  ]
  /// The ACL permissions ElastiCache needs for exports, with the console's names for them.
  public static let requiredACLPermissions = [
    ("READ", "List objects"), ("WRITE", "Write objects"), ("READ_ACP", "Read bucket permissions"),
  ]

  /// What ElastiCache will do with the bucket.
  public enum Purpose: Sendable, Equatable {
    /// Write snapshot exports into it (`rdbtool s3 check-bucket`).
    case export
    /// Read `.rdb` files from it to seed a new cluster (`rdbtool seed-check`).
    case seed

    /// The bucket ACL permissions ElastiCache needs, with the console's names for them.
    public var aclPermissions: [(String, String)] {
      self == .export
        ? ExportBucketCheck.requiredACLPermissions
        : [("READ", "List objects"), ("READ_ACP", "Read bucket permissions")]
    }

    /// The actions the bucket policy must allow ElastiCache in an opt-in region.
    public var policyActions: [String] {
      self == .export
        ? ExportBucketPolicy.actions : ["s3:GetObject", "s3:ListBucket", "s3:GetBucketAcl"]
    }
  }

  /// The outcome of a check.
  public struct Report: Sendable, Equatable {
    /// The bucket checked.
    public var bucket: String
    /// Its region, if it could be read.
    public var region: String?
    /// Every finding, in rule order.
    public var findings: [ExportBucketFinding]
    /// The bucket ACL as read (not read in opt-in regions, or when reading failed).
    public var acl: S3BucketACL?
    /// The bucket policy text as read (nil: none, or reading failed).
    public var policy: String?
    /// The Object Ownership as read (nil inside: no ownership controls), or the error.
    public var ownership: Result<S3ObjectOwnership?, S3Error>?
    /// The Block Public Access settings as read (nil inside: none), or the error.
    public var publicAccessBlock: Result<S3PublicAccessBlock?, S3Error>?
    /// True when no finding is a failure (warnings allowed).
    public var passed: Bool { !findings.contains { $0.severity == .failure } }
  }

  /// The client used to read the bucket's location, ACL and policy.
  public let client: S3Client

  /// Creates a check that reads through `client` (it needs s3:GetBucketLocation,
  /// s3:GetBucketAcl, s3:GetBucketPolicy, s3:GetBucketOwnershipControls and
  /// s3:GetBucketPublicAccessBlock).
  public init(client: S3Client) { self.client = client }

  /// Whether `region` is an opt-in region.
  public static func isOptInRegion(_ region: String) -> Bool { optInRegions.contains(region) }

  /// Reads the bucket's region, ACL and policy and evaluates every rule for `purpose`.
  ///
  /// S3 failures (no permission to read the ACL, say) become failure findings carrying the
  /// S3 error's own advice, so the report is always complete. Blocks while it sends its
  /// requests.
  public func run(bucket: String, cacheRegion: String? = nil, purpose: Purpose = .export)
    -> Report
  {
    var findings: [ExportBucketFinding] = []
    let region: String
    do {
      region = try client.bucketLocation(bucket: bucket)
    } catch {
      if purpose == .export { findings.append(Self.nameFinding(bucket)) }
      findings.append(.init(.region, .failure, "cannot read the bucket's region: \(error)"))
      return Report(bucket: bucket, region: nil, findings: findings)
    }
    var acl: Result<S3BucketACL, S3Error>?
    if !Self.isOptInRegion(region) {
      do { acl = .success(try client.bucketACL(bucket: bucket)) } catch { acl = .failure(error) }
    }
    var policy: Result<String?, S3Error>
    do { policy = .success(try client.bucketPolicy(bucket: bucket)) } catch {
      policy = .failure(error)
    }
    let ownership: Result<S3ObjectOwnership?, S3Error>
    do { ownership = .success(try client.objectOwnership(bucket: bucket)) } catch {
      ownership = .failure(error)
    }
    let publicAccessBlock: Result<S3PublicAccessBlock?, S3Error>
    do { publicAccessBlock = .success(try client.publicAccessBlock(bucket: bucket)) } catch {
      publicAccessBlock = .failure(error)
    }
    var report = Report(
      bucket: bucket, region: region,
      findings: Self.evaluate(
        bucket: bucket, region: region, cacheRegion: cacheRegion, acl: acl, policy: policy,
        ownership: ownership, publicAccessBlock: publicAccessBlock, purpose: purpose))
    report.ownership = ownership
    report.publicAccessBlock = publicAccessBlock
    if case .success(let list) = acl { report.acl = list }
    if case .success(let text) = policy { report.policy = text }
    return report
  }

  /// Evaluates the rules on already-fetched data (no network).
  ///
  /// - Parameters:
  ///   - bucket: The bucket name.
  ///   - region: The bucket's region.
  ///   - cacheRegion: The cache's region, if known.
  ///   - acl: The ACL, or the error reading it; nil when not read (opt-in regions).
  ///   - policy: The policy text (nil: none), or the error reading it.
  ///   - ownership: The Object Ownership (nil: no controls) or the error; nil when not read.
  ///   - publicAccessBlock: The Block Public Access settings (nil: none) or the error; nil
  ///     when not read.
  ///   - purpose: Exports (the default) or seeding.
  /// - Returns: One finding per rule, plus one per public grant or `"*"` principal.
  public static func evaluate(
    bucket: String, region: String, cacheRegion: String?, acl: Result<S3BucketACL, S3Error>?,
    policy: Result<String?, S3Error>, ownership: Result<S3ObjectOwnership?, S3Error>? = nil,
    publicAccessBlock: Result<S3PublicAccessBlock?, S3Error>? = nil, purpose: Purpose = .export
  ) -> [ExportBucketFinding] {
    var findings = purpose == .export ? [nameFinding(bucket)] : []
    if let cacheRegion, cacheRegion != region {
      findings.append(
        .init(
          .region, .failure,
          purpose == .export
            ? "the bucket is in \(region) but the cache is in \(cacheRegion): export to a bucket "
              + "in \(cacheRegion), or copy the snapshot to \(region) first"
            : "the bucket is in \(region) but the cluster is to be in \(cacheRegion): ElastiCache "
              + "seeds from a bucket in the cluster's region; copy the files to a bucket in "
              + "\(cacheRegion)"))
    } else {
      findings.append(.init(.region, .pass, "the bucket is in \(region)"))
    }
    let policyStatements: [PolicyStatement]?
    switch policy {
    case .success(let text): policyStatements = text.map(PolicyStatement.parse) ?? []
    case .failure: policyStatements = nil
    }
    if isOptInRegion(region) {
      findings.append(
        policyFinding(bucket: bucket, region: region, policy: policy, purpose: purpose))
    } else {
      if let ownership {
        findings.append(
          ownershipFinding(bucket: bucket, region: region, ownership: ownership, purpose: purpose))
      }
      if let acl { findings.append(aclFinding(region: region, acl: acl, purpose: purpose)) }
    }
    if case .success(let list) = acl { findings += publicGrantFindings(list) }
    for statement in policyStatements ?? [] where statement.allows && statement.hasWildcardPrincipal
    {
      findings.append(
        .init(
          .publicAccess, .warning,
          "the bucket policy allows \(statement.actions.joined(separator: ", ")) to any principal "
            + "(\"*\")\(statement.sid.map { " in statement \($0)" } ?? ""): name specific "
            + "principals instead"))
    }
    if case .failure(let error) = policy, !isOptInRegion(region) {
      findings.append(
        .init(
          .publicAccess, .warning,
          "cannot read the bucket policy to look for \"*\" principals: \(error)"))
    }
    if let publicAccessBlock {
      let list: S3BucketACL? = if case .success(let value) = acl { value } else { nil }
      findings += publicAccessBlockFindings(
        publicAccessBlock, region: region, acl: list, statements: policyStatements ?? [])
    }
    return findings
  }

  static func nameFinding(_ bucket: String) -> ExportBucketFinding {
    S3URL.isDNSCompatible(bucket: bucket)
      ? .init(.bucketName, .pass, "'\(bucket)' is DNS-compliant")
      : .init(
        .bucketName, .failure,
        "'\(bucket)' is not DNS-compliant: ElastiCache exports need a bucket named with 3-63 "
          + "lower-case letters, digits, '.' and '-', starting and ending with a letter or digit")
  }

  static func aclFinding(
    region: String, acl: Result<S3BucketACL, S3Error>, purpose: Purpose = .export
  ) -> ExportBucketFinding {
    let list: S3BucketACL
    switch acl {
    case .success(let value): list = value
    case .failure(let error):
      return .init(.aclGrants, .failure, "cannot read the bucket ACL: \(error)")
    }
    let govCloud = region.hasPrefix("us-gov-")
    let expectedID = canonicalUserID(region: region)
    let otherID = govCloud ? elastiCacheCanonicalUserID : govCloudCanonicalUserID
    func permissions(of id: String) -> Set<String> {
      Set(list.grants.filter { $0.grantee == .canonicalUser(id: id) }.map(\.permission))
    }
    let granted = permissions(of: expectedID)
    let required = purpose.aclPermissions
    let missing = required.filter {
      !granted.contains($0.0) && !granted.contains("FULL_CONTROL")
    }
    if missing.isEmpty {
      let names = required.map(\.0)
      return .init(
        .aclGrants, .pass,
        "the ACL grants the ElastiCache canonical user "
          + "\(names.dropLast().joined(separator: ", ")) and \(names.last ?? "")")
    }
    let names = missing.map { "\($0.1) (\($0.0))" }.joined(separator: ", ")
    var message =
      "the ACL does not grant the ElastiCache canonical user \(expectedID) \(names): add "
      + "these grants for that canonical user in the bucket's Access control list"
    if !permissions(of: otherID).isEmpty {
      message +=
        "; the ACL grants \(otherID), which is the "
        + (govCloud ? "commercial" : "GovCloud") + " ElastiCache id and does not apply in \(region)"
    }
    return .init(.aclGrants, .failure, message)
  }

  /// The ElastiCache canonical user id that applies in `region`.
  public static func canonicalUserID(region: String) -> String {
    region.hasPrefix("us-gov-") ? govCloudCanonicalUserID : elastiCacheCanonicalUserID
  }

  static func publicGrantFindings(_ acl: S3BucketACL) -> [ExportBucketFinding] {
    acl.grants.compactMap { grant in
      guard case .group(let uri) = grant.grantee,
        uri == S3BucketACL.allUsersURI || uri == S3BucketACL.authenticatedUsersURI
      else { return nil }
      let who =
        uri == S3BucketACL.allUsersURI
        ? "everyone (AllUsers, anonymous included)" : "every AWS account (AuthenticatedUsers)"
      return .init(
        .publicAccess, .warning,
        "the ACL grants \(grant.permission) to \(who): remove that grant; snapshots hold your data")
    }
  }
}
