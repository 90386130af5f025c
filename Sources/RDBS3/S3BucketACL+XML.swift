import RDBKit

extension S3BucketACL {
  /// The `AccessControlPolicy` document PutBucketAcl takes: the owner and every grant, in
  /// order. PutBucketAcl replaces the whole ACL, so this must hold every grant to keep.
  var xml: String {
    let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
    var text = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    if let ownerID { text += "<Owner><ID>\(Self.escaped(ownerID))</ID></Owner>" }
    text += "<AccessControlList>"
    for grant in grants {
      let grantee: String
      switch grant.grantee {
      case .canonicalUser(let id):
        grantee =
          "<Grantee \(xsi) xsi:type=\"CanonicalUser\"><ID>\(Self.escaped(id))</ID></Grantee>"
      case .group(let uri):
        grantee = "<Grantee \(xsi) xsi:type=\"Group\"><URI>\(Self.escaped(uri))</URI></Grantee>"
      case .email(let address):
        grantee =
          "<Grantee \(xsi) xsi:type=\"AmazonCustomerByEmail\">"
          + "<EmailAddress>\(Self.escaped(address))</EmailAddress></Grantee>"
      }
      text += "<Grant>\(grantee)<Permission>\(Self.escaped(grant.permission))</Permission></Grant>"
    }
    return text + "</AccessControlList></AccessControlPolicy>"
  }

  /// `text` with the five XML special characters escaped.
  static func escaped(_ text: String) -> String {
    var output = ""
    for character in text {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&apos;"
      default: output.append(character)
      }
    }
    return output
  }
}
