import Foundation
import RDBKit

/// One statement of an IAM policy document, reduced to what the export check needs.
struct PolicyStatement: Sendable, Equatable {
  var sid: String?
  var allows: Bool
  var actions: [String]
  var resources: [String]
  var servicePrincipals: [String]
  var hasWildcardPrincipal: Bool

  /// The statements of a policy JSON text; empty when it is not one.
  static func parse(_ text: String) -> [PolicyStatement] {
    guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    else { return [] }
    let raw = document["Statement"]
    let statements = (raw as? [[String: Any]]) ?? (raw as? [String: Any]).map { [$0] } ?? []
    return statements.map { statement in
      let principal = statement["Principal"]
      let principalMap = principal as? [String: Any]
      let awsPrincipals = strings(principalMap?["AWS"])
      return PolicyStatement(
        sid: statement["Sid"] as? String,
        allows: (statement["Effect"] as? String) == "Allow",
        actions: strings(statement["Action"]),
        resources: strings(statement["Resource"]),
        servicePrincipals: strings(principalMap?["Service"]),
        hasWildcardPrincipal: (principal as? String) == "*" || awsPrincipals.contains("*"))
    }
  }

  /// Whether an action pattern of this statement covers `action` (IAM wildcards, no case).
  func matches(action: String) -> Bool {
    actions.contains { Self.glob($0.lowercased(), matches: action.lowercased()) }
  }

  /// Whether a resource pattern of this statement covers `resource`.
  func matches(resource: String) -> Bool {
    resources.contains { Self.glob($0, matches: resource) }
  }

  private static func strings(_ value: Any?) -> [String] {
    if let single = value as? String { return [single] }
    return (value as? [Any])?.compactMap { $0 as? String } ?? []
  }

  /// IAM-style matching: `*` any run of characters, `?` one character.
  static func glob(_ pattern: String, matches text: String) -> Bool {
    let pattern = Array(pattern)
    let text = Array(text)
    var p = 0
    var t = 0
    var star: Int?
    var resume = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
        p += 1
        t += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p
        resume = t
        p += 1
      } else if let star {
        p = star + 1
        resume += 1
        t = resume
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }
}
