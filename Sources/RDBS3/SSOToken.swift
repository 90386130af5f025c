import Foundation
import RDBKit

/// An IAM Identity Center (SSO) access token that `aws sso login` left in the AWS CLI's cache.
///
/// The cache is `~/.aws/sso/cache/<name>.json`, where `<name>` is the lower-case hex SHA-1 of
/// the `sso-session` name, or of the start URL for legacy profiles without one, as the AWS CLI
/// computes it. The file is JSON with at least `accessToken` and `expiresAt` (ISO 8601; older
/// CLIs wrote `…UTC` instead of `…Z`). The token is a bearer secret: it is never printed.
struct SSOToken: Sendable {
  /// The bearer token for the portal's `x-amz-sso_bearer_token` header.
  var accessToken: String
  /// When the token stops working.
  var expiresAt: Date

  /// The cache file for `key` (a session name or a start URL) under `home`.
  static func cachePath(for key: String, home: String) -> String {
    "\(home)/.aws/sso/cache/\(Digest.hex(Digest.sha1(Array(key.utf8)))).json"
  }

  /// Reads the cached token for `key`.
  /// - Parameters:
  ///   - key: The `sso-session` name, or the start URL of a legacy profile.
  ///   - home: The home directory whose `.aws/sso/cache` to read.
  ///   - loginHint: What to run to get a new token (`aws sso login --profile NAME`).
  ///   - now: The current time.
  /// - Returns: The token and its expiry.
  /// - Throws: `.credentialSourceFailed` when there is no file, it lacks `accessToken` or a
  ///   readable `expiresAt`, or the token has expired; each says to run `loginHint`.
  static func load(key: String, home: String, loginHint: String, now: Date = Date())
    throws(S3Error) -> SSOToken
  {
    let path = cachePath(for: key, home: home)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw S3Error(
        .credentialSourceFailed,
        message: "no SSO token for '\(key)' in the AWS CLI's cache (\(path)): run `\(loginHint)`")
    }
    guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let token = document["accessToken"] as? String, !token.isEmpty,
      let expiresText = document["expiresAt"] as? String,
      let expiresAt = parseExpiry(expiresText)
    else {
      throw S3Error(
        .credentialSourceFailed,
        message: "the cached SSO token for '\(key)' (\(path)) has no accessToken or expiresAt: "
          + "run `\(loginHint)`")
    }
    guard expiresAt > now else {
      throw S3Error(
        .credentialSourceFailed,
        message: "the SSO token for '\(key)' expired at \(expiresText): run `\(loginHint)`")
    }
    return SSOToken(accessToken: token, expiresAt: expiresAt)
  }

  /// ISO 8601, also in the `2024-01-01T00:00:00UTC` form older CLIs wrote.
  private static func parseExpiry(_ text: String) -> Date? {
    AMZTime.parseISO8601(text.hasSuffix("UTC") ? text.dropLast(3) + "Z" : text)
  }
}
