import ArgumentParser

/// An option's value that is one of a fixed list of names: the raw values of its cases.
///
/// Lists those names (for help, completions and checks) with a plain closure: the default that
/// swift-argument-parser gives such a type builds a key path at each call, about 55,000
/// instructions, and every command's options are listed several times at each start (48 times
/// for `stats`, 7 % of its start-up).
protocol ArgumentChoice: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {}

extension ArgumentChoice {
  /// The raw value of every case, in declaration order.
  public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
