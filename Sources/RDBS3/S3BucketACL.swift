import RDBKit

/// A bucket's or an object's access control list, as GetBucketAcl and GetObjectAcl return it.
public struct S3BucketACL: Sendable, Equatable {
  /// Who a grant is for.
  public enum Grantee: Sendable, Equatable, Hashable {
    /// An account's canonical user id.
    case canonicalUser(id: String)
    /// A predefined group, by URI (`http://acs.amazonaws.com/groups/global/AllUsers`).
    case group(uri: String)
    /// An e-mail address grantee (legacy).
    case email(String)
  }

  /// One grant: a grantee and a permission (`READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`,
  /// `FULL_CONTROL`).
  public struct Grant: Sendable, Equatable {
    /// Who.
    public var grantee: Grantee
    /// What.
    public var permission: String

    /// Creates a grant.
    public init(grantee: Grantee, permission: String) {
      self.grantee = grantee
      self.permission = permission
    }
  }

  /// The owner's canonical user id.
  public var ownerID: String?
  /// The grants in document order.
  public var grants: [Grant]

  /// Creates an ACL.
  public init(ownerID: String?, grants: [Grant]) {
    self.ownerID = ownerID
    self.grants = grants
  }

  /// The URI of the group of everyone, anonymous included.
  public static let allUsersURI = "http://acs.amazonaws.com/groups/global/AllUsers"
  /// The URI of the group of every AWS account.
  public static let authenticatedUsersURI =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

  /// Whether the ACL grants anything to AllUsers or AuthenticatedUsers.
  public var hasPublicGrant: Bool {
    grants.contains {
      $0.grantee == .group(uri: Self.allUsersURI)
        || $0.grantee == .group(uri: Self.authenticatedUsersURI)
    }
  }

  /// The `--grant-…` arguments of `aws s3api put-bucket-acl` or `put-object-acl` that set
  /// this ACL's grants plus `added`. Those commands replace the whole ACL, so every grant
  /// it has is repeated (the owner's `FULL_CONTROL` included).
  public func grantArguments(adding added: [Grant]) -> [String] {
    let flags = [
      ("FULL_CONTROL", "--grant-full-control"), ("READ", "--grant-read"),
      ("READ_ACP", "--grant-read-acp"), ("WRITE", "--grant-write"),
      ("WRITE_ACP", "--grant-write-acp"),
    ]
    let all = grants + added.filter { !grants.contains($0) }
    return flags.flatMap { permission, flag -> [String] in
      let grantees = all.filter { $0.permission == permission }.map { grant in
        switch grant.grantee {
        case .canonicalUser(let id): "id=\(id)"
        case .group(let uri): "uri=\(uri)"
        case .email(let address): "emailaddress=\(address)"
        }
      }
      return grantees.isEmpty ? [] : [flag, grantees.joined(separator: ",")]
    }
  }

  /// Parses an `AccessControlPolicy` document; nil when it is not one.
  init?(xml: [UInt8]) {
    guard let root = XMLNode.parse(xml), root.name == "AccessControlPolicy" else { return nil }
    ownerID = root.child("Owner")?.text(of: "ID")
    var grants: [Grant] = []
    for grant in root.child("AccessControlList")?.children("Grant") ?? [] {
      guard let grantee = grant.child("Grantee"), let permission = grant.text(of: "Permission")
      else { continue }
      let type = grantee.attributes["type"]
      if type == "Group" || (type == nil && grantee.child("URI") != nil),
        let uri = grantee.text(of: "URI")
      {
        grants.append(Grant(grantee: .group(uri: uri), permission: permission))
      } else if type == "AmazonCustomerByEmail", let email = grantee.text(of: "EmailAddress") {
        grants.append(Grant(grantee: .email(email), permission: permission))
      } else if let id = grantee.text(of: "ID") {
        grants.append(Grant(grantee: .canonicalUser(id: id), permission: permission))
      }
    }
    self.grants = grants
  }
}
