import Foundation
import RDBKit

/// Keys written down: in the environment or in a profile section.
enum StaticCredentialSources {
  /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`, token from `AWS_SECURITY_TOKEN` or
  /// `AWS_SESSION_TOKEN`, expiry from `AWS_CREDENTIAL_EXPIRATION`; nil when no key is set.
  /// - Throws: `.credentialSourceFailed` when the key is set without its secret.
  static func environment(_ environment: [String: String]) throws(S3Error) -> AWSCredentials? {
    guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty else { return nil }
    guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
      throw S3Error(
        .credentialSourceFailed,
        message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is empty or missing")
    }
    let token = [environment["AWS_SECURITY_TOKEN"], environment["AWS_SESSION_TOKEN"]]
      .compactMap { $0 }.first { !$0.isEmpty }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: token,
      expiration: environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(AMZTime.parseISO8601))
  }

  /// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token` or
  /// `aws_security_token`) from `settings`; nil when no key is set.
  static func profileKeys(_ settings: [String: String], profile: String, file: String)
    throws(S3Error) -> AWSCredentials?
  {
    guard let key = settings["aws_access_key_id"], !key.isEmpty else { return nil }
    guard let secret = settings["aws_secret_access_key"], !secret.isEmpty else {
      throw S3Error(
        .credentialSourceFailed,
        message: "profile '\(profile)' in the \(file) has aws_access_key_id without "
          + "aws_secret_access_key")
    }
    let token = [settings["aws_session_token"], settings["aws_security_token"]]
      .compactMap { $0 }.first { !$0.isEmpty }
    return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
  }
}
