/// One result of ``SeedCheck``: a rule, how it went, what was found, and what to do.
public struct SeedFinding: Sendable, Equatable {
  /// What a seed must satisfy.
  public enum Rule: String, Sendable, Equatable {
    /// The target loads the files' RDB version and every type in them.
    case engine
    /// The cluster mode's rules: database 0 and slot placement, or a single file.
    case cluster
    /// The estimated memory of each shard fits the node.
    case memory
    /// Functions and module values the target can load.
    case modules = "functions-modules"
    /// ElastiCache can read the `s3://` objects: bucket and object grants or policy,
    /// region, sizes.
    case s3
  }

  /// How the rule went.
  public enum Status: String, Sendable, Equatable, Comparable {
    /// Satisfied.
    case pass
    /// The seed loads, but look at this.
    case warn
    /// The seed will not load (or not fit) until this is fixed.
    case fail

    /// `pass < warn < fail`.
    public static func < (lhs: Status, rhs: Status) -> Bool {
      let order: [Status] = [.pass, .warn, .fail]
      return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
    }
  }

  /// The rule.
  public var rule: Rule
  /// The outcome.
  public var status: Status
  /// What was found.
  public var message: String
  /// What to do about it, when it did not pass.
  public var advice: String?
  /// The command that fixes it, as arguments (the first is `rdbtool` or `aws`).
  public var command: [String]?
  /// What the fixing rewrite would leave out, when it would leave out anything.
  public var losses: LossReport?

  /// Creates a finding.
  public init(
    _ rule: Rule, _ status: Status, _ message: String, advice: String? = nil,
    command: [String]? = nil, losses: LossReport? = nil
  ) {
    self.rule = rule
    self.status = status
    self.message = message
    self.advice = advice
    self.command = command
    self.losses = losses
  }

  /// ``command`` as one shell line, arguments quoted where the shell needs it.
  public var commandLine: String? {
    command?.map(Self.shellQuoted).joined(separator: " ")
  }

  static func shellQuoted(_ argument: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+-@%")
    guard argument.isEmpty || !argument.allSatisfy(plain.contains) else { return argument }
    return "'" + argument.replacing("'", with: "'\\''") + "'"
  }
}
