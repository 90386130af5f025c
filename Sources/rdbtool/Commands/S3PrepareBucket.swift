import ArgumentParser
import RDBKit
import RDBS3

extension RDBTool.S3 {
  /// `rdbtool s3 prepare-bucket`: make a bucket ready for ElastiCache exports.
  struct PrepareBucket: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "prepare-bucket",
      abstract: "Give ElastiCache what it needs to export snapshots to an S3 bucket.",
      usage: "rdbtool s3 prepare-bucket [<options>] --region <region> <bucket>",
      discussion: """
        Reads the bucket (region, Object Ownership, ACL, policy, Block Public Access) and \
        changes only what is missing, keeping every grant and statement it has: in regions \
        enabled by default, the ElastiCache canonical user gets READ, WRITE and READ_ACP in \
        the ACL (the GovCloud canonical user in us-gov-* regions); in opt-in regions a \
        statement allowing REGION.elasticache-snapshot.amazonaws.com the six export actions \
        is added to the bucket policy. --create creates a missing bucket with the region's \
        LocationConstraint.

        Buckets made since 2023 have Object Ownership BucketOwnerEnforced, which disables \
        ACLs, so the grant cannot work there. Switching to BucketOwnerPreferred enables ACLs \
        again, on the bucket and on its objects, which is a change to its security \
        settings: it is done only with --allow-acl-change (and --create in a default region \
        needs it too, since the bucket is made with ACLs enabled).

        PutBucketAcl and PutBucketPolicy replace the whole ACL or policy and S3 offers no \
        precondition for them: each is read again just before the write (a change since \
        the first read stops the run, nothing written) and after it (every earlier grant or \
        statement must be there). --dry-run prints each request (method, URL, headers, \
        body) and sends none but the reads. A second run finds nothing to change and says \
        so. The bucket is checked as 'rdbtool s3 check-bucket' does at the end.

        Exits 0 when the bucket is ready (or a dry run printed its plan), 1 when it cannot \
        be prepared (the reason and the fix on standard error), 2 for usage errors.

        Examples:
          rdbtool s3 prepare-bucket --region eu-west-1 --dry-run my-backups
          rdbtool s3 prepare-bucket --region eu-west-1 --allow-acl-change my-backups
          rdbtool s3 prepare-bucket --region ap-east-1 --create my-backups
        """)

    @Argument(help: "The bucket name (no s3:// needed).", transform: BucketName.parse)
    var bucket: String

    @Option(help: "The region of the cache that will export (and of the bucket).")
    var region: String

    @Flag(help: "Create the bucket in --region when it does not exist.")
    var create = false

    @Flag(help: "Print the requests that would be sent, and send none that changes anything.")
    var dryRun = false

    @Flag(
      help: "Allow switching Object Ownership from BucketOwnerEnforced to BucketOwnerPreferred.")
    var allowACLChange = false

    @OptionGroup(title: "S3") var connection: S3ConnectionOptions

    func validate() throws {
      guard S3URL.isDNSCompatible(bucket: bucket) else {
        throw ValidationError(
          "'\(bucket)' is not DNS-compliant: ElastiCache exports need 3-63 lower-case letters, "
            + "digits, '.' and '-', starting and ending with a letter or digit.")
      }
      guard Self.isRegionName(region) else {
        throw ValidationError(
          "'\(region)' is not a region name (like eu-west-1, us-gov-west-1 or ap-east-1).")
      }
      if create, !ExportBucketCheck.isOptInRegion(region), !allowACLChange {
        throw ValidationError(
          "--create in \(region) makes the bucket with ACLs enabled (Object Ownership "
            + "BucketOwnerPreferred), since ElastiCache is granted access there by an ACL: "
            + "add --allow-acl-change to accept that.")
      }
    }

    /// `xx-name-N` or `xx-gov-name-N`, as AWS names regions.
    static func isRegionName(_ text: String) -> Bool {
      let parts = text.split(separator: "-", omittingEmptySubsequences: false)
      guard (3...4).contains(parts.count), let last = parts.last,
        !last.isEmpty, last.allSatisfy(\.isASCII), last.allSatisfy(\.isNumber)
      else { return false }
      return parts.dropLast().allSatisfy { part in
        !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isLowercase }
      }
    }

    func run() throws {
      let preparation: ExportBucketPreparation
      let plan: ExportBucketPreparation.Plan
      do {
        let client = try connection.client(region: region)
        preparation = ExportBucketPreparation(
          client: client, bucket: bucket, region: region, create: create,
          allowACLChange: allowACLChange)
        plan = try preparation.plan()
      } catch {
        StandardError.report(bucket, "\(error)")
        throw ExitCode.failure
      }
      if let refusal = plan.refusal {
        StandardError.report(bucket, refusal)
        throw ExitCode.failure
      }
      if plan.steps.isEmpty {
        print("\(bucket) (\(region)): nothing to change: ElastiCache can already export here")
      } else if dryRun {
        for step in plan.steps { print(Self.describe(step, client: preparation.client)) }
        let count = plan.steps.count
        print("dry run: \(count) request\(count == 1 ? "" : "s") not sent")
        if !plan.exists, !ExportBucketCheck.isOptInRegion(region) {
          print(
            "(\(ExportBucketPreparation.newOwnerPlaceholder) stands for the owner's id, read "
              + "with GetBucketAcl once the bucket exists)")
        }
        return
      } else {
        do {
          for line in try preparation.apply(plan) { print("changed: \(line)") }
        } catch {
          StandardError.report(bucket, "\(error)")
          throw ExitCode.failure
        }
      }
      let report = ExportBucketCheck(client: preparation.client).run(
        bucket: bucket, cacheRegion: region)
      guard report.passed else {
        for finding in report.findings where finding.severity == .failure {
          StandardError.report(bucket, finding.description)
        }
        throw ExitCode.failure
      }
      if !plan.steps.isEmpty {
        print("\(bucket) (\(region)): ready for ElastiCache exports")
      }
    }

    /// A step as `# reason`, the request line, its headers, and its body.
    static func describe(_ step: ExportBucketPreparation.Step, client: S3Client) -> String {
      var lines = ["# \(step.reason)", "\(step.change.method) \(client.url(of: step.change))"]
      lines += step.change.headers.map { "\($0.name): \($0.value)" }
      if !step.change.body.isEmpty { lines += ["", step.change.body] }
      return lines.joined(separator: "\n") + "\n"
    }
  }
}
