import Foundation
import RDBKit

/// The settings of one named profile, merged from the config and credentials files as the
/// AWS CLI merges them (values from the credentials file win).
public struct AWSProfile: Sendable, Equatable {
  /// The profile name (`default` unless `--profile`, `AWS_PROFILE` or `AWS_DEFAULT_PROFILE`).
  public var name: String
  /// Merged options, names lower-cased, sub-section options as `parent.name`.
  public var settings: [String: String]
  /// The `[services NAME]` section the profile's `services` option names, if any.
  public var services: [String: String]
  /// The options that came from the credentials file alone (botocore reads keys there before
  /// `credential_process`, and keys in the config file after it).
  public var credentialsFileSettings: [String: String]
  /// The `[sso-session NAME]` section the profile's `sso_session` option names, if any.
  public var ssoSession: [String: String]?
  /// Whether either file has a section for this profile.
  public var isDefined: Bool

  /// Creates a profile from already-merged settings.
  public init(
    name: String, settings: [String: String], services: [String: String] = [:],
    credentialsFileSettings: [String: String] = [:], ssoSession: [String: String]? = nil,
    isDefined: Bool = true
  ) {
    self.name = name
    self.settings = settings
    self.services = services
    self.credentialsFileSettings = credentialsFileSettings
    self.ssoSession = ssoSession
    self.isDefined = isDefined
  }

  /// Loads profile `name` (nil: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`)
  /// from `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
  /// (default `~/.aws/credentials`). Missing files give an empty profile.
  public static func load(named name: String?, environment: [String: String]) -> AWSProfile {
    let profileName =
      name ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
    let home = environment["HOME"] ?? NSHomeDirectory()
    let configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
    let credentialsPath = expand(
      environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home)
    let config = AWSConfigFile(path: configPath)
    let credentials = AWSConfigFile(path: credentialsPath)
    let configSection = profileName == "default" ? "default" : "profile \(profileName)"
    var settings = config?.sections[configSection] ?? [:]
    let fromCredentialsFile = credentials?.sections[profileName] ?? [:]
    for (key, value) in fromCredentialsFile { settings[key] = value }
    let services = settings["services"].flatMap { config?.sections["services \($0)"] } ?? [:]
    let ssoSession = settings["sso_session"].flatMap { config?.sections["sso-session \($0)"] }
    let isDefined =
      config?.sections[configSection] != nil || credentials?.sections[profileName] != nil
    return AWSProfile(
      name: profileName, settings: settings, services: services,
      credentialsFileSettings: fromCredentialsFile, ssoSession: ssoSession, isDefined: isDefined)
  }

  /// The option `name` (lower-case), if set and not empty.
  public subscript(_ name: String) -> String? {
    guard let value = settings[name], !value.isEmpty else { return nil }
    return value
  }

  /// `~/…` expanded against `home`.
  static func expand(_ path: String, home: String) -> String {
    path.hasPrefix("~/") ? home + path.dropFirst() : path
  }
}
