import Glibc

/// Asks for an MFA code on the controlling terminal, as the AWS CLI does for assume-role
/// profiles with `mfa_serial`.
enum MFAPrompt {
  /// The code typed for the device `serial`, read from `/dev/tty` without echo; nil when the
  /// process has no controlling terminal (a pipeline, cron, CI), so the profile is refused
  /// with advice instead of waiting.
  ///
  /// glibc's `getpass` would read standard input when `/dev/tty` cannot be opened, which may
  /// be the data `rdbtool verify -` reads: the terminal is checked first. The corresponding C
  /// function is `getpass`.
  @Sendable static func code(for serial: String) -> String? {
    let terminal = open("/dev/tty", O_RDWR | O_NOCTTY)
    guard terminal >= 0 else { return nil }
    close(terminal)
    guard let typed = getpass("Enter MFA code for \(serial): ") else { return nil }
    return String(cString: typed)
  }
}
