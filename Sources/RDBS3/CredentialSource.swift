import RDBKit

/// Where the credential chain found credentials, in the order it looks.
public enum CredentialSource: String, Sendable, Equatable {
  /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
  case environment
  /// STS AssumeRole for a profile with `role_arn` and `source_profile` or `credential_source`.
  case assumeRole = "assume-role"
  /// STS AssumeRoleWithWebIdentity with `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`.
  case webIdentity = "web-identity"
  /// IAM Identity Center role credentials, with the token `aws sso login` cached.
  case sso
  /// Keys in the profile's section of the shared credentials file.
  case sharedCredentialsFile = "shared-credentials-file"
  /// The profile's `credential_process` command.
  case credentialProcess = "credential-process"
  /// Keys in the profile's section of the config file.
  case configFile = "config-file"
  /// The ECS/EKS container credentials endpoint.
  case container
  /// The EC2 instance metadata service (IMDSv2, falling back to v1 where allowed).
  case instanceMetadata = "instance-metadata"
}
