import RDBKit

/// A bucket's Block Public Access settings, as GetPublicAccessBlock returns them.
///
/// None of the four touches what ElastiCache needs: its canonical-user grant and its
/// service-principal policy statement are not public. Two of them matter to
/// `prepare-bucket`, which rewrites the whole ACL or policy: with ``blockPublicACLs`` S3
/// refuses a PutBucketAcl that carries a public grant (an AllUsers or AuthenticatedUsers grant
/// the bucket already had), and with ``blockPublicPolicy`` a PutBucketPolicy whose document
/// has a public statement.
public struct S3PublicAccessBlock: Sendable, Equatable {
  /// `BlockPublicAcls`: PUTs of public ACLs are refused.
  public var blockPublicACLs: Bool
  /// `IgnorePublicAcls`: public ACL grants are ignored.
  public var ignorePublicACLs: Bool
  /// `BlockPublicPolicy`: PUTs of public bucket policies are refused.
  public var blockPublicPolicy: Bool
  /// `RestrictPublicBuckets`: a public policy grants only AWS services and the owner's account.
  public var restrictPublicBuckets: Bool

  /// Creates a configuration.
  public init(
    blockPublicACLs: Bool, ignorePublicACLs: Bool, blockPublicPolicy: Bool,
    restrictPublicBuckets: Bool
  ) {
    self.blockPublicACLs = blockPublicACLs
    self.ignorePublicACLs = ignorePublicACLs
    self.blockPublicPolicy = blockPublicPolicy
    self.restrictPublicBuckets = restrictPublicBuckets
  }

  /// Parses a `PublicAccessBlockConfiguration` document; nil when it is not one.
  init?(xml: [UInt8]) {
    guard let root = XMLNode.parse(xml), root.name == "PublicAccessBlockConfiguration" else {
      return nil
    }
    func flag(_ name: String) -> Bool { root.text(of: name)?.lowercased() == "true" }
    self.init(
      blockPublicACLs: flag("BlockPublicAcls"), ignorePublicACLs: flag("IgnorePublicAcls"),
      blockPublicPolicy: flag("BlockPublicPolicy"),
      restrictPublicBuckets: flag("RestrictPublicBuckets"))
  }
}
