import Foundation
import Testing

/// Every command's `--help`, as swift-argument-parser wraps it at 80 and 120 columns: no line
/// past the width, paragraphs wrapped by the parser (never by hand), examples left whole so
/// they can be copied, and one default per option.
@Suite struct HelpTextTests {
  static let commands: [[String]] = [
    [], ["verify"], ["info"], ["stats"], ["report"], ["keys"], ["dump"], ["memory"], ["rewrite"],
    ["split"], ["merge"], ["seed-check"], ["fetch"], ["export"], ["s3"], ["s3", "check-bucket"],
    ["s3", "prepare-bucket"], ["s3", "policy"],
  ]

  static func help(_ command: [String], columns: Int) throws -> [String] {
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = String(columns)
    let result = try RDBToolProcess.runProgram(
      RDBToolProcess.binary, command + ["--help"], environment: environment)
    #expect(result.status == 0 && result.stderr.isEmpty, "\(command): \(result.stderr)")
    return result.stdout.components(separatedBy: "\n")
  }

  /// The commands above are every command the help lists, so a new one is checked too.
  @Test func everyCommandIsChecked() throws {
    func listed(_ command: [String]) throws -> [[String]] {
      let lines = try Self.help(command, columns: 120)
      let start = try #require(lines.firstIndex(of: "SUBCOMMANDS:"))
      return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line in
        let name = line.drop { $0 == " " }.prefix { $0 != " " }
        return line.hasPrefix("  ") && !line.hasPrefix("   ") ? command + [String(name)] : nil
      }
    }
    let listedCommands = try [[]] + listed([]) + listed(["s3"])
    #expect(Set(listedCommands) == Set(Self.commands))
    #expect(listedCommands.count == Self.commands.count)
  }

  @Test(arguments: commands, [80, 120])
  func fitsAndWrapsCleanly(_ command: [String], _ columns: Int) throws {
    let lines = try Self.help(command, columns: columns)
    for line in lines {
      #expect(line.count <= columns, "\(command) at \(columns): \(line)")
    }
    // The parser breaks a line where the next word and the space after it would not fit (it
    // cuts `columns` characters and goes back to the last space), so a line with room for
    // them was broken by hand. Indented lines (examples, option columns) are exempt here.
    let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
    for (line, next) in zip(discussion, discussion.dropFirst())
    where !line.isEmpty && !next.isEmpty && !line.hasPrefix(" ") && !next.hasPrefix(" ")
      && !line.hasSuffix(":") && !next.hasPrefix("-")
    {
      let word = next.prefix { $0 != " " }
      #expect(
        line.count + 1 + word.count >= columns,
        "\(command) at \(columns): broken by hand after \"\(line)\"")
    }
  }

  /// Every line of an `Examples:` block is one whole, indented command.
  @Test(arguments: commands, [80, 120])
  func examplesStayWhole(_ command: [String], _ columns: Int) throws {
    let lines = try Self.help(command, columns: columns)
    guard let start = lines.firstIndex(of: "Examples:") else {
      Issue.record("\(command): no Examples: block")
      return
    }
    let block = lines[(start + 1)...].prefix { !$0.isEmpty }
    #expect(!block.isEmpty)
    for line in block {
      #expect(line.hasPrefix("  "), "\(command) at \(columns): an example was broken: \(line)")

    }
  }

  /// An option's entry names its default once.
  @Test(arguments: commands)
  func oneDefaultPerOption(_ command: [String]) throws {
    let lines = try Self.help(command, columns: 120)
    var entries: [String] = []
    for line in lines.drop(while: { !$0.hasPrefix("USAGE:") }) {
      if line.hasPrefix("  -") || line.hasPrefix("  <") {
        entries.append(line)
      } else if line.hasPrefix("        "), !entries.isEmpty {
        entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
      }
    }
    #expect(!entries.isEmpty || command == ["s3"])
    for entry in entries {
      // "(default: x)" alone, or inside "(values: a, b; default: a)".
      let count =
        entry.components(separatedBy: "(default").count - 1
        + entry.components(separatedBy: "; default:").count - 1
      #expect(count <= 1, "\(command): \(entry)")
    }
  }

  /// An option whose values the parser lists, "(values: a, b)", does not list them again as
  /// a bare enumeration ("a, b" or "a or b") in its own text.
  @Test(arguments: commands)
  func valuesListedOnce(_ command: [String]) throws {
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = "1000"
    let result = try RDBToolProcess.runProgram(
      RDBToolProcess.binary, command + ["--help"], environment: environment)
    for line in result.stdout.split(separator: "\n") {
      guard let range = line.range(of: "(values: ") else { continue }
      let values = line[range.upperBound...].prefix { $0 != ";" && $0 != ")" }
        .components(separatedBy: ", ")
      let text = line[..<range.lowerBound]
      for first in values {
        for second in values where second != first {
          #expect(
            !text.contains("\(first), \(second)") && !text.contains("\(first) or \(second)"),
            "\(command): \(line)")
        }
      }
    }
  }

  @Test func dumpNamesEveryFormat() throws {
    let root = try Self.help([], columns: 120)
    let line = try #require(root.first { $0.hasPrefix("  dump ") })
    for format in ["JSON lines", "JSON", "CSV", "Redis protocol"] {
      #expect(line.contains(format), "\(line)")
    }
  }
}
