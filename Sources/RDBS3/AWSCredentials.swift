import Foundation
import RDBKit

/// An AWS access key pair with an optional session token and expiry.
///
/// The secret and the token never appear in `description` or `debugDescription`, so the value
/// can be logged or interpolated into errors without leaking them.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable
{
  /// The access key id (`AKIA…` for IAM users, `ASIA…` for temporary sessions).
  public var accessKeyID: String
  /// The secret access key.
  public var secretAccessKey: String
  /// The session token of temporary credentials.
  public var sessionToken: String?
  /// When temporary credentials stop working; nil for long-term keys.
  public var expiration: Date?

  /// Creates credentials from their parts.
  public init(
    accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
    expiration: Date? = nil
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
  }

  /// The access key id and whether a token is present; never the secret or the token.
  public var description: String {
    "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, "
      + "sessionToken: \(sessionToken == nil ? "none" : "<redacted>"))"
  }

  /// Same as `description`.
  public var debugDescription: String { description }

  /// A mirror without the secret or the token, so `dump` cannot print them either.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "accessKeyID": accessKeyID, "hasSessionToken": sessionToken != nil,
        "expiration": expiration as Any,
      ])
  }
}
