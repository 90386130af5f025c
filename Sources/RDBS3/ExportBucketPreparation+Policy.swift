import Foundation
import RDBKit

extension ExportBucketPreparation {
  /// The policy step of an opt-in region: the ElastiCache statement added to the policy.
  func planPolicy(_ plan: inout Plan) throws(Failure) {
    let text: String? =
      plan.exists
      ? try read("policy") { () throws(S3Error) in try client.bucketPolicy(bucket: bucket) } : nil
    plan.policy = text
    let finding = ExportBucketCheck.policyFinding(
      bucket: bucket, region: region, policy: .success(text))
    guard finding.severity == .failure else { return }
    var statements = try Self.statements(of: text)
    if plan.exists, statements.contains(where: Self.isPublic),
      try read(
        "Block Public Access settings",
        { () throws(S3Error) in
          try client.publicAccessBlock(bucket: bucket)
        })?.blockPublicPolicy == true
    {
      plan.refusal =
        "the policy of '\(bucket)' has a statement for any principal (\"*\") and "
        + "BlockPublicPolicy is on: S3 refuses any policy that repeats it, and prepare-bucket "
        + "keeps every statement. Remove that statement, then run again"
      return
    }
    let taken = Set(statements.compactMap { $0["Sid"] as? String })
    var sid = "ElastiCacheSnapshotExport"
    var number = 2
    while taken.contains(sid) {
      sid = "ElastiCacheSnapshotExport\(number)"
      number += 1
    }
    let policy = ExportBucketPolicy(bucket: bucket, region: region)
    statements.append([
      "Sid": sid, "Effect": "Allow", "Principal": ["Service": policy.servicePrincipal],
      "Action": ExportBucketPolicy.actions, "Resource": policy.resources,
    ])
    var document = (text.flatMap(Self.document) ?? [:])
    document["Version"] = document["Version"] ?? "2012-10-17"
    document["Statement"] = statements
    plan.steps.append(
      Step(
        change: .policy(bucket, Self.json(document)),
        reason: "add statement \(sid) allowing \(policy.servicePrincipal) the export actions, "
          + "keeping the policy's \(statements.count - 1) "
          + "statement\(statements.count == 2 ? "" : "s")"))
  }

  /// The statements of a policy text as dictionaries (none for no policy).
  /// - Throws: ``Failure`` when the text is not a policy document.
  static func statements(of text: String?) throws(Failure) -> [[String: Any]] {
    guard let text else { return [] }
    guard let document = document(text) else {
      throw Failure(
        description: "the bucket policy is not a JSON object; fix it by hand first")
    }
    let raw = document["Statement"]
    if let single = raw as? [String: Any] { return [single] }
    return raw as? [[String: Any]] ?? []
  }

  static func document(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
  }

  static func json(_ object: Any) -> String {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  static func isPublic(_ statement: [String: Any]) -> Bool {
    (statement["Effect"] as? String) == "Allow"
      && PolicyStatement.parse(json(["Statement": [statement]])).contains(
        where: \.hasWildcardPrincipal)
  }

  /// Whether the policy `after` holds every statement of `before` unchanged.
  static func keepsEveryStatement(before: String?, after: String?) -> Bool {
    guard let old = try? statements(of: before), let new = try? statements(of: after) else {
      return false
    }
    let kept = Set(new.map { json($0) })
    return old.allSatisfy { kept.contains(json($0)) }
  }
}
