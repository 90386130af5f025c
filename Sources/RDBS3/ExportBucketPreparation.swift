import RDBKit

/// Works out and applies what an S3 bucket needs so that ElastiCache can export snapshots to
/// it, the logic behind `rdbtool s3 prepare-bucket`.
///
/// Everything is read first (region, Object Ownership, ACL, policy, Block Public Access) and
/// only what is missing is changed, keeping every grant and statement the bucket already has:
/// - a missing bucket is created when asked, with the region's `LocationConstraint`;
/// - in regions enabled by default, the ElastiCache canonical user (the GovCloud one in
///   `us-gov-*`) gets READ, WRITE and READ_ACP in the ACL, after Object Ownership is switched
///   from `BucketOwnerEnforced` to `BucketOwnerPreferred` when that is allowed;
/// - in opt-in regions, a statement for `REGION.elasticache-snapshot.amazonaws.com` with the
///   export actions is added to the bucket policy.
///
/// PutBucketAcl and PutBucketPolicy replace the whole ACL or policy and S3 offers no
/// precondition (ETag) for either, so each write is a read-modify-write guarded by reading
/// again just before it (a change since the plan stops the run) and after it (every earlier
/// grant or statement must still be there). CreateBucket is sent only after GetBucketLocation
/// said the bucket does not exist: in us-east-1 S3 answers 200 to creating a bucket the caller
/// already owns, and resets its ACL.
///
///     let preparation = ExportBucketPreparation(client: client, bucket: "rdb-exports", region: "eu-west-1")
///     let plan = try preparation.plan()
///     for step in plan.steps { print(step.reason) }
///     try preparation.apply(plan)
public struct ExportBucketPreparation: Sendable {
  /// One change and why it is needed.
  public struct Step: Sendable, Equatable {
    /// The request.
    public var change: S3Client.BucketChange
    /// One line for the user.
    public var reason: String
  }

  /// What would be changed.
  public struct Plan: Sendable {
    /// The changes, in the order they are sent.
    public var steps: [Step]
    /// Why the bucket cannot be prepared as asked (a flag is missing, or something must be
    /// removed by hand); nil when the steps are all it takes.
    public var refusal: String?
    /// Whether the bucket exists.
    public var exists: Bool
    /// The ACL as read (nil in opt-in regions and for a bucket still to create).
    public var acl: S3BucketACL?
    /// The policy as read (nil: none).
    public var policy: String?
  }

  /// Why preparing failed.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    /// One line: what failed and what to do.
    public var description: String
  }

  /// Stands in for the owner's canonical id in the ACL of a bucket a dry run would create:
  /// the real id is read with GetBucketAcl once the bucket exists.
  public static let newOwnerPlaceholder = "OWNER-CANONICAL-ID-OF-THE-NEW-BUCKET"

  /// The client that reads and writes the bucket.
  public let client: S3Client
  /// The bucket.
  public let bucket: String
  /// The region the bucket must be in (the cache's).
  public let region: String
  /// Whether a missing bucket may be created.
  public let create: Bool
  /// Whether Object Ownership may be switched from BucketOwnerEnforced to
  /// BucketOwnerPreferred (which enables ACLs again).
  public let allowACLChange: Bool

  /// Creates a preparation; nothing is sent yet.
  public init(
    client: S3Client, bucket: String, region: String, create: Bool = false,
    allowACLChange: Bool = false
  ) {
    self.client = client
    self.bucket = bucket
    self.region = region
    self.create = create
    self.allowACLChange = allowACLChange
  }

  /// Whether ElastiCache reaches buckets in `region` through the bucket policy.
  var usesPolicy: Bool { ExportBucketCheck.isOptInRegion(region) }

  /// Reads the bucket and works out the changes. Sends only GET requests.
  /// - Throws: ``Failure`` when the bucket cannot be read, is in another region, or is
  ///   missing without `create`.
  public func plan() throws(Failure) -> Plan {
    let exists: Bool
    do {
      let location = try client.bucketLocation(bucket: bucket)
      guard location == region else {
        throw Failure(
          description: "bucket '\(bucket)' is in \(location), not \(region): ElastiCache exports "
            + "only to a bucket in the cache's region; use a bucket in \(region)")
      }
      exists = true
    } catch let error as S3Error where error.kind == .noSuchBucket {
      guard create else {
        throw Failure(
          description: "no such bucket '\(bucket)': pass --create to create it in \(region)")
      }
      exists = false
    } catch let error as S3Error {
      throw Failure(description: "cannot read the bucket's region: \(error)")
    } catch let error as Failure {
      throw error
    } catch {
      throw Failure(description: "\(error)")
    }
    var plan = Plan(steps: [], refusal: nil, exists: exists)
    if !exists {
      plan.steps.append(
        Step(
          change: .createBucket(
            bucket, region: region,
            ownership: usesPolicy ? .bucketOwnerEnforced : .bucketOwnerPreferred),
          reason: "create the bucket in \(region)"
            + (usesPolicy ? "" : " with Object Ownership BucketOwnerPreferred (ACLs enabled)")))
    }
    if usesPolicy {
      try planPolicy(&plan)
    } else {
      try planACL(&plan)
    }
    return plan
  }

  /// Reads a setting, turning an S3 error into a ``Failure`` that names it.
  func read<T>(_ what: String, _ body: () throws(S3Error) -> T) throws(Failure) -> T {
    do { return try body() } catch {
      throw Failure(description: "cannot read the bucket's \(what): \(error)")
    }
  }
}
