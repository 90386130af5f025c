import ArgumentParser

/// A usage error as rdbtool prints it: one line on standard error that names the problem and
/// the command's help, then exit status 2.
///
///     rdbtool: unknown command 'hello'; commands: verify, info, …
///     rdbtool keys: --db takes a database number, not -1 (see 'rdbtool keys --help')
enum UsageError {
  /// Exit status of every usage error.
  static let exitStatus: Int32 = 2

  /// The line for a command word that names no subcommand, or nil when `arguments` (without
  /// the program name) name known commands all the way down.
  static func unknownCommand(in arguments: [String], root: any ParsableCommand.Type) -> String? {
    var command = root
    var path = [name(of: root)]
    for argument in arguments {
      let subcommands = subcommands(of: command)
      guard !subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
      if argument == "help" { return nil }
      guard
        let next = subcommands.first(where: {
          name(of: $0) == argument || aliases(of: $0).contains(argument)
        })
      else {
        let names = subcommands.map { name(of: $0) }.joined(separator: ", ")
        let prefix = path.count == 1 ? "rdbtool" : path.joined(separator: " ")
        return "\(prefix): unknown command '\(argument)'; commands: \(names)"
      }
      command = next
      path.append(name(of: next))
    }
    return nil
  }

  /// The name `command` is called by on the command line.
  private static func name<C: ParsableCommand>(of command: C.Type) -> String { C._commandName }

  /// The commands under `command`.
  private static func subcommands<C: ParsableCommand>(of command: C.Type)
    -> [any ParsableCommand.Type]
  {
    C.configuration.subcommands
  }

  /// The other names `command` answers to.
  private static func aliases<C: ParsableCommand>(of command: C.Type) -> [String] {
    C.configuration.aliases
  }

  /// The one line for a usage error swift-argument-parser reported as `message` while parsing
  /// `arguments` (without the program name).
  static func line(_ message: String, arguments: [String], root: any ParsableCommand.Type)
    -> String
  {
    let path = commandPath(arguments, root: root)
    let problem = firstLine(of: message)
    let command = path.joined(separator: " ")
    return "\(command): \(problem) (see '\(command) --help')"
  }

  /// The command words of `arguments`: `["rdbtool", "s3", "policy"]`.
  private static func commandPath(_ arguments: [String], root: any ParsableCommand.Type)
    -> [String]
  {
    var command = root
    var path = [name(of: root)]
    for argument in arguments {
      guard
        let next = subcommands(of: command).first(where: {
          name(of: $0) == argument || aliases(of: $0).contains(argument)
        })
      else { break }
      command = next
      path.append(name(of: next))
    }
    return path
  }

  /// `arguments` with the option the parser reported as missing its value (`message`) joined
  /// to the negative number that follows it (`--db -1` as `--db=-1`), or nil when that is not
  /// the problem. swift-argument-parser reads a word starting with '-' as an option, and no
  /// option of rdbtool is named like a number, so the number can only be the value.
  static func joiningNegativeValue(reportedBy message: String, in arguments: [String])
    -> [String]?
  {
    guard message.hasPrefix("Missing value for '") else { return nil }
    for index in arguments.indices.dropLast() {
      let option = arguments[index]
      let value = arguments[index + 1]
      guard option.hasPrefix("--"), message.hasPrefix("Missing value for '\(option)"),
        value.hasPrefix("-"), value.dropFirst().first?.isNumber == true
      else { continue }
      var joined = arguments
      joined.replaceSubrange(index...(index + 1), with: ["\(option)=\(value)"])
      return joined
    }
    return nil
  }

  /// The message without the usage and help lines some parser errors carry, and without a
  /// final period (the line goes on). A list of valid values, which the parser puts one per
  /// line after "one of the following:", is kept on the line: "one of 'a', 'b' or 'c'".
  private static func firstLine(of message: String) -> String {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
    var text = String(lines.first ?? "")
    let listed = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { "'\($0.dropFirst(4))'" }
    if text.hasSuffix(" one of the following:"), let last = listed.last {
      text.removeLast(" the following:".count)
      text += " " + listed.dropLast().joined(separator: ", ") + " or \(last)"
    }
    if text.hasSuffix(".") { text.removeLast() }
    if let initial = text.first, initial.isUppercase, text.dropFirst().first?.isLowercase == true {
      text = initial.lowercased() + text.dropFirst()
    }
    return text
  }
}
