import Foundation
import RDBKit

/// Compares parsed keys with a fixture's expected.json records; returns one line per
/// difference (empty when everything matches).
enum ExpectedComparison {
  /// With `fieldOrderKnown` false (a reader that loses JSON object key order), the fields of a
  /// stream entry are compared as a sorted set instead of in entry order.
  static func differences(
    _ collected: [CollectedKey], _ expected: [[String: Any]], server: String,
    fieldOrderKnown: Bool = true
  ) -> [String] {
    var problems: [String] = []
    var byName: [String: CollectedKey] = [:]
    for key in collected { byName["\(key.database)/\(key.keyHex)"] = key }
    if collected.count != expected.count {
      problems.append("parsed \(collected.count) keys, expected \(expected.count)")
    }
    for record in expected {
      let database = record["db"] as? Int ?? -1
      let keyHex = record["key"] as? String ?? "?"
      let name = "\(database)/\(keyHex)"
      guard let key = byName[name] else {
        problems.append("\(name): missing")
        continue
      }
      func check(_ what: String, _ ours: String, _ theirs: String) {
        if ours != theirs {
          problems.append(
            "\(name) \(what): parsed \(ours.prefix(120)), server \(theirs.prefix(120))")
        }
      }
      check("type", key.type, record["type"] as? String ?? "?")
      check("expire_ms", key.expiresAt.map(String.init) ?? "null", describe(record["expire_ms"]))
      if !key.encoding.isEmpty, let encoding = record["encoding"] as? String,
        !encodingMatches(ours: key.encoding, server: encoding, key: key)
      {
        check("encoding", key.encoding, encoding)
      }
      check(
        "value", valueText(key, sortFields: !fieldOrderKnown),
        canonicalValue(record["value"], type: key.type, sortFields: !fieldOrderKnown))
      let expectedTTLs = (record["field_expire_ms"] as? [String: Any] ?? [:])
        .mapValues(describe).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      let ourTTLs = key.fieldExpiries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      check("field_expire_ms", ourTTLs.joined(separator: ","), expectedTTLs.joined(separator: ","))
      let expectedMetadata = (record["key_meta"] as? [[String: Any]] ?? []).map {
        "\(describe($0["class"])) v\(describe($0["version"])) f\(describe($0["flags"])) "
          + describe($0["value"])
      }
      let ourMetadata = key.keyMetadata.map {
        "\($0.name) v\($0.version) f\($0.flags) \($0.valueHex)"
      }
      check(
        "key_meta", ourMetadata.sorted().joined(separator: ","),
        expectedMetadata.joined(separator: ","))
    }
    return problems
  }

  /// The encoding rule (see RDBParser): the file's structure, strings by the load rule.
  /// Where the server's answer depends on history the file does not record, the allowed
  /// differences are exactly these:
  /// - a short string the server holds `raw` because APPEND, SETRANGE, SETBIT or
  ///   INCRBYFLOAT built it in place (a load would make it `embstr` or `int`);
  /// - Redis 5.0 answers `unknown` for every stream.
  static func encodingMatches(ours: String, server: String, key: CollectedKey) -> Bool {
    if ours == server { return true }
    if server == "unknown", key.type == "stream" { return true }
    if key.type == "string", server == "raw", ours == "embstr" || ours == "int" { return true }
    return false
  }

  static func describe(_ value: Any?) -> String {
    switch value {
    case nil, is NSNull: return "null"
    case let number as NSNumber: return number.stringValue
    case let string as String: return string
    case let value?: return "\(value)"
    }
  }

  /// Our value in the canonical text form.
  static func valueText(_ key: CollectedKey, sortFields: Bool = false) -> String {
    switch key.type {
    case "string": return key.string ?? "nil"
    case "list": return key.elements.joined(separator: ",")
    case "set": return key.elements.sorted().joined(separator: ",")
    case "zset":
      return key.scores.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        .map { "\($0.0):\(scoreText($0.1))" }.joined(separator: ",")
    case "hash":
      return key.pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }
        .joined(separator: ",")
    case "stream":
      guard let stream = key.stream, let metadata = stream.metadata else { return "nil" }
      var text = "length=\(metadata.length) last=\(metadata.lastID) entries="
      text += stream.entries.map { entry in
        let fields = entry.1.map { "\($0.0)=\($0.1)" }
        return "\(entry.0)[" + (sortFields ? fields.sorted() : fields).joined(separator: ",") + "]"
      }.joined(separator: ";")
      text += " groups="
      text += stream.groups.sorted { $0.nameHex < $1.nameHex }.map { group in
        let consumers = group.consumers.sorted { $0.nameHex < $1.nameHex }
          .map { "\($0.nameHex):\($0.pending.count)" }.joined(separator: ",")
        return "\(group.nameHex) last=\(group.info.lastDeliveredID) pending=\(group.pending.count) "
          + "read=\(group.info.entriesRead.map(String.init) ?? "null") consumers=\(consumers)"
      }.joined(separator: ";")
      if let idempotency = stream.idempotency {
        let settings = idempotency.settings
        text += " idmp=duration \(settings.duration) maxsize \(settings.maxSize)"
        text += " added \(idempotency.totals.map { "\($0.added)" } ?? "?")"
        text += " duplicates \(idempotency.totals.map { "\($0.duplicates)" } ?? "?") producers "
        text += idempotency.producers.sorted { $0.pidHex < $1.pidHex }.map { producer in
          producer.pidHex + "["
            + producer.entries.sorted { $0.iidHex < $1.iidHex }.map { "\($0.iidHex)@\($0.id)" }
            .joined(separator: ",") + "]"
        }.joined(separator: ";")
      }
      return text
    case "vectorset":
      guard let set = key.vectorSet else { return "nil" }
      let info = set.info
      var text = "dim \(info.dimension) quant \(info.quantization.rawValue) m \(info.hnswM) "
      text +=
        "input \(info.projectionInputDimension.map(String.init) ?? "null") size \(info.count) "
      text += set.elements.sorted { $0.nameHex < $1.nameHex }.map { element in
        "\(element.nameHex):\(element.vectorHex):\(Double(element.l2)):"
          + "\(element.range.map { "\(Double($0))" } ?? "null"):\(element.attributesHex ?? "null")"
      }.joined(separator: ",")
      return text
    default: return "module"
    }
  }

  /// The expected value in the same canonical text form.
  static func canonicalValue(_ value: Any?, type: String, sortFields: Bool = false) -> String {
    switch type {
    case "string": return value as? String ?? "nil"
    case "list": return (value as? [String] ?? []).joined(separator: ",")
    case "set": return (value as? [String] ?? []).sorted().joined(separator: ",")
    case "zset":
      let pairs = (value as? [[Any]] ?? []).map {
        ($0[0] as? String ?? "", Double($0[1] as? String ?? "") ?? .nan)
      }
      return pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0):\(scoreText($0.1))" }
        .joined(separator: ",")
    case "hash":
      let pairs = (value as? [[String]] ?? []).map { ($0[0], $0[1]) }
      return pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }
        .joined(separator: ",")
    case "stream":
      guard let stream = value as? [String: Any] else { return "nil" }
      var text = "length=\(describe(stream["length"])) last=\(describe(stream["last_id"])) entries="
      text += (stream["entries"] as? [[Any]] ?? []).map { entry in
        let fields = (entry[1] as? [[String]] ?? []).map { "\($0[0])=\($0[1])" }
        return "\(describe(entry[0]))["
          + (sortFields ? fields.sorted() : fields).joined(separator: ",") + "]"
      }.joined(separator: ";")
      text += " groups="
      text += (stream["groups"] as? [[String: Any]] ?? []).sorted {
        ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "")
      }.map { group in
        let consumers = (group["consumers"] as? [[String: Any]] ?? []).sorted {
          ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "")
        }.map { "\(describe($0["name"])):\(describe($0["pending"]))" }.joined(separator: ",")
        return "\(describe(group["name"])) last=\(describe(group["last_id"])) "
          + "pending=\(describe(group["pending"])) read=\(describe(group["entries_read"])) "
          + "consumers=\(consumers)"
      }.joined(separator: ";")
      if let idempotency = stream["idmp"] as? [String: Any] {
        text += " idmp=duration \(describe(idempotency["duration"]))"
        text += " maxsize \(describe(idempotency["maxsize"]))"
        text += " added \(describe(idempotency["iids_added"]))"
        text += " duplicates \(describe(idempotency["iids_duplicates"])) producers "
        text += (idempotency["producers"] as? [[String: Any]] ?? []).map { producer in
          describe(producer["pid"]) + "["
            + (producer["entries"] as? [[String]] ?? []).map { "\($0[0])@\($0[1])" }
            .joined(separator: ",") + "]"
        }.joined(separator: ";")
      }
      return text
    case "vectorset":
      guard let set = value as? [String: Any] else { return "nil" }
      var text =
        "dim \(describe(set["dim"])) quant \(describe(set["quant"])) m \(describe(set["m"])) "
      text += "input \(describe(set["projection_input_dim"])) size \(describe(set["size"])) "
      text += (set["elements"] as? [[String: Any]] ?? []).map { element in
        let l2 = Double(describe(element["l2"])).map { "\($0)" } ?? "?"
        let range =
          element["range"] is String
          ? Double(describe(element["range"])).map { "\($0)" } ?? "?" : "null"
        return "\(describe(element["element"])):\(describe(element["vector"])):\(l2):\(range):"
          + describe(element["attributes"])
      }.joined(separator: ",")
      return text
    default: return "module"
    }
  }

  /// A score as text that tells -0.0 from 0.0.
  static func scoreText(_ score: Double) -> String {
    score == 0 && score.sign == .minus ? "-0.0" : "\(score)"
  }
}
