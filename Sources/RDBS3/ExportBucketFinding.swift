import RDBKit

/// One result of ``ExportBucketCheck``: a rule, how it went, and what to change.
public struct ExportBucketFinding: Sendable, Equatable, CustomStringConvertible {
  /// Which requirement the finding is about.
  public enum Rule: String, Sendable, Equatable {
    /// The bucket name must be DNS-compliant.
    case bucketName = "bucket-name"
    /// The bucket must be in the cache's region.
    case region
    /// The bucket ACL must grant the ElastiCache canonical user READ, WRITE and READ_ACP.
    case aclGrants = "acl-grants"
    /// In opt-in regions, the bucket policy must grant the regional ElastiCache service
    /// principal the export actions.
    case bucketPolicy = "bucket-policy"
    /// Grants to everyone or to every AWS account.
    case publicAccess = "public-access"
    /// In regions enabled by default, Object Ownership must leave ACLs enabled.
    case objectOwnership = "object-ownership"
    /// The bucket's Block Public Access settings (none of which stops ElastiCache).
    case blockPublicAccess = "block-public-access"
  }

  /// How the rule went.
  public enum Severity: String, Sendable, Equatable, Comparable {
    /// Satisfied.
    case pass
    /// Allowed but risky; the export works.
    case warning
    /// The export will fail until this is changed.
    case failure

    /// `pass < warning < failure`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
      let order: [Severity] = [.pass, .warning, .failure]
      return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
    }
  }

  /// The requirement.
  public var rule: Rule
  /// The outcome.
  public var severity: Severity
  /// What was found and, unless it passed, what to change.
  public var message: String

  /// Creates a finding.
  public init(_ rule: Rule, _ severity: Severity, _ message: String) {
    self.rule = rule
    self.severity = severity
    self.message = message
  }

  /// `SEVERITY rule: message`, one line.
  public var description: String { "\(severity.rawValue) \(rule.rawValue): \(message)" }
}
