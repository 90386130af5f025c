import Foundation
import RDBKit

/// One parsed AWS INI file (`~/.aws/config` or `~/.aws/credentials`).
///
/// Follows Python's `RawConfigParser` as botocore uses it: `#` and `;` start comment lines,
/// option names are lower-cased, values are trimmed, and an option with an empty value
/// followed by indented `name = value` lines is a sub-section, stored as `parent.name`
/// (`s3.addressing_style`).
public struct AWSConfigFile: Sendable, Equatable {
  /// Options by section name (`default`, `profile NAME`, `NAME`, `services NAME`).
  public var sections: [String: [String: String]]

  /// Parses INI `text`.
  public init(text: String) {
    var sections: [String: [String: String]] = [:]
    var current: String?
    var parent: String?
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("["), line.hasSuffix("]") {
        let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        current = name
        parent = nil
        if sections[name] == nil { sections[name] = [:] }
        continue
      }
      guard let section = current, let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" })
      else { continue }
      let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      let indented = rawLine.first == " " || rawLine.first == "\t"
      if indented, let parent {
        sections[section, default: [:]]["\(parent).\(name)"] = value
      } else {
        sections[section, default: [:]][name] = value
        parent = value.isEmpty ? name : nil
      }
    }
    self.sections = sections
  }

  /// Reads and parses the file at `path`; nil when it does not exist or cannot be read.
  public init?(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    self.init(text: String(decoding: data, as: UTF8.self))
  }
}
