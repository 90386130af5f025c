import Foundation
import RDBKit
import SystemPackage
import Testing

/// `dump --format jsonl` is lossless: reading the JSON back gives exactly what the server held.
@Suite struct JSONLinesWriterTests {
  @Test(arguments: Fixture.all, [ByteStringStyle.utf8, .base64, .text])
  func jsonLinesReproduceTheServer(_ fixture: Fixture, style: ByteStringStyle) throws {
    let lines = try dump(fixture, style: style)
    let keys = try lines.map { try Self.collectedKey(fromJSONLine: $0, style: style) }
    let records = try #require(try fixture.expectedDocument()["keys"] as? [[String: Any]])
    // JSONSerialization does not keep object key order: stream fields are compared as sets
    // here (the parser's own test checks their order).
    let problems = ExpectedComparison.differences(
      keys, records, server: fixture.server, fieldOrderKnown: false)
    #expect(
      problems.isEmpty,
      "\(problems.count) differences:\n\(problems.prefix(10).joined(separator: "\n"))")
  }

  /// Runs the writer over a fixture into a temporary file and returns its lines.
  private func dump(_ fixture: Fixture, style: ByteStringStyle) throws -> [Substring] {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("jsonl-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    var writer = JSONLinesWriter(output: OutputBuffer(descriptor: descriptor), style: style)
    try RDBParser().parse(fixture.bytes(), into: &writer)
    try writer.finish()
    try descriptor.close()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasSuffix("\n") || text.isEmpty)
    return text.split(separator: "\n")
  }

  /// Decodes one JSON line into the canonical record form the fixtures use.
  static func collectedKey(fromJSONLine line: Substring, style: ByteStringStyle) throws
    -> CollectedKey
  {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    var key = CollectedKey(
      database: object["db"] as? Int ?? -1, keyHex: try bytesHex(object["key"], style),
      type: object["type"] as? String ?? "?")
    key.encoding = object["encoding"] as? String ?? ""
    key.expiresAt = (object["expire_ms"] as? NSNumber)?.int64Value
    let value = object["value"]
    switch key.type {
    case "string":
      key.string = try bytesHex(value, style)
    case "list", "set":
      key.elements = try (value as? [Any] ?? []).map { try bytesHex($0, style) }
    case "zset":
      // JSONSerialization on Linux rounds some doubles; JSONDecoder reads them exactly.
      let scores = try JSONDecoder().decode(SortedSetLine.self, from: Data(line.utf8)).value
      let members = try (value as? [[String: Any]] ?? []).map { try bytesHex($0["member"], style) }
      #expect(members.count == scores.count)
      key.scores = zip(members, scores).map { ($0, $1.score.value) }
    case "hash":
      key.pairs = try pairs(value, style).map { ($0.0, try bytesHex($0.1, style)) }
      for entry in object["field_expire_ms"] as? [[String: Any]] ?? [] {
        key.fieldExpiries[try bytesHex(entry["field"], style)] =
          (entry["expire_ms"] as? NSNumber)?.int64Value
      }
    case "stream":
      key.stream = try stream(value, style)
    case "vectorset":
      key.vectorSet = try vectorSet(value, style)
    default:
      break
    }
    for metadata in object["key_meta"] as? [[String: Any]] ?? [] {
      let payload = try bytes(metadata["payload"], style)
      let items = try payload.withUnsafeBytes { bytes throws(RDBError) in
        try ModuleItems(RawSpan(_unsafeBytes: bytes))
      }
      guard case .string(let first)? = items.items.first else { continue }
      key.keyMetadata.append(
        (
          metadata["class"] as? String ?? "?", metadata["version"] as? Int ?? -1,
          metadata["flags"] as? Int ?? -1, hexBytes(first)
        ))
    }
    return key
  }

  static func vectorSet(_ value: Any?, _ style: ByteStringStyle) throws -> CollectedVectorSet {
    let object = try #require(value as? [String: Any])
    let quantization = try #require(
      VectorSetInfo.Quantization(rawValue: object["quant"] as? String ?? ""))
    var set = CollectedVectorSet(
      info: VectorSetInfo(
        dimension: object["dim"] as? Int ?? -1,
        count: (object["size"] as? NSNumber)?.uint64Value ?? 0,
        quantization: quantization, hnswM: object["m"] as? Int ?? -1,
        projectionInputDimension: object["projection_input_dim"] as? Int,
        hasAttributes: false))
    for element in object["elements"] as? [[String: Any]] ?? [] {
      let attributes =
        element["attributes"] is NSNull ? nil : try bytesHex(element["attributes"], style)
      set.elements.append(
        (
          try bytesHex(element["element"], style), try bytesHex(element["vector"], style),
          attributes, Float((element["l2"] as? NSNumber)?.doubleValue ?? .nan),
          (element["range"] as? NSNumber).map { Float($0.doubleValue) }
        ))
    }
    return set
  }

  /// An object of byte-string keys, or the array of pairs it becomes for non-UTF-8 keys.
  static func pairs(_ value: Any?, _ style: ByteStringStyle) throws -> [(String, Any)] {
    if let object = value as? [String: Any] {
      return try object.map { (try bytesHex($0.key, style), $0.value) }
    }
    return try (value as? [[Any]] ?? []).map { (try bytesHex($0[0], style), $0[1]) }
  }

  static func stream(_ value: Any?, _ style: ByteStringStyle) throws -> CollectedStream {
    let object = try #require(value as? [String: Any])
    var stream = CollectedStream()
    for entry in object["entries"] as? [[String: Any]] ?? [] {
      let fields = try pairs(entry["fields"], style).map { ($0.0, try bytesHex($0.1, style)) }
      stream.entries.append((entry["id"] as? String ?? "?", fields))
    }
    stream.metadata = StreamMetadata(
      length: (object["length"] as? NSNumber)?.uint64Value ?? 0,
      lastID: try streamID(object["last_id"]), firstID: nil, maxDeletedID: nil,
      entriesAdded: nil, groupCount: 0)
    for group in object["groups"] as? [[String: Any]] ?? [] {
      let info = StreamGroupInfo(
        lastDeliveredID: try streamID(group["last_id"]),
        entriesRead: (group["entries_read"] as? NSNumber)?.int64Value,
        pendingCount: UInt64((group["pending"] as? [Any])?.count ?? 0))
      var collected = CollectedGroup(nameHex: try bytesHex(group["name"], style), info: info)
      collected.pending = (group["pending"] as? [[String: Any]] ?? []).map { _ in
        (StreamID(milliseconds: 0, sequence: 0), 0, 0)
      }
      for consumer in group["consumers"] as? [[String: Any]] ?? [] {
        let count = (consumer["pending"] as? Int) ?? 0
        collected.consumers.append(
          (
            try bytesHex(consumer["name"], style),
            Array(repeating: StreamID(milliseconds: 0, sequence: 0), count: count)
          ))
      }
      stream.groups.append(collected)
    }
    if let idmp = object["idmp"] as? [String: Any] {
      var idempotency = CollectedIdempotency(
        settings: StreamIdempotency(
          duration: (idmp["duration"] as? NSNumber)?.uint64Value ?? 0,
          maxSize: (idmp["maxsize"] as? NSNumber)?.uint64Value ?? 0, producerCount: 0))
      for producer in idmp["producers"] as? [[String: Any]] ?? [] {
        let entries = try (producer["entries"] as? [[Any]] ?? []).map {
          (try bytesHex($0[0], style), try streamID($0[1]))
        }
        idempotency.producers.append((try bytesHex(producer["pid"], style), entries))
      }
      idempotency.totals = (
        (idmp["iids_added"] as? NSNumber)?.uint64Value ?? 0,
        (idmp["iids_duplicates"] as? NSNumber)?.uint64Value ?? 0
      )
      stream.idempotency = idempotency
    }
    return stream
  }

  static func streamID(_ value: Any?) throws -> StreamID {
    let parts = (value as? String ?? "").split(separator: "-")
    let milliseconds = try #require(UInt64(parts.first ?? ""))
    let sequence = try #require(UInt64(parts.last ?? ""))
    return StreamID(milliseconds: milliseconds, sequence: sequence)
  }

  /// A sorted set's JSON line, for reading its scores exactly.
  struct SortedSetLine: Decodable {
    struct Entry: Decodable {
      let score: Score
    }

    /// A score: a JSON number, or "inf", "-inf", "nan".
    struct Score: Decodable {
      let value: Double

      init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
          value = number
        } else {
          let text = try container.decode(String.self)
          guard let number = Double(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: text)
          }
          value = number
        }
      }
    }

    let value: [Entry]
  }

  /// The hex of a byte string written as a JSON string or a `{"base64":…}` object.
  static func bytesHex(_ value: Any?, _ style: ByteStringStyle) throws -> String {
    try bytes(value, style).map { String(format: "%02x", $0) }.joined()
  }

  /// A byte string as written in `style`.
  static func bytes(_ value: Any?, _ style: ByteStringStyle) throws -> [UInt8] {
    let bytes: Data
    if style == .base64 {
      let text = try #require(value as? String)
      bytes = try #require(Data(base64Encoded: text))
    } else if style == .text {
      return try textBytes(try #require(value as? String))
    } else if let text = value as? String {
      bytes = Data(text.utf8)
    } else {
      let object = try #require(value as? [String: Any])
      let text = try #require(object["base64"] as? String)
      bytes = try #require(Data(base64Encoded: text))
    }
    return [UInt8](bytes)
  }

  /// The bytes of a string in the text form: `\\` is a backslash, `\xHH` a byte, the rest
  /// UTF-8.
  static func textBytes(_ text: String) throws -> [UInt8] {
    let utf8 = Array(text.utf8)
    var bytes: [UInt8] = []
    var index = 0
    while index < utf8.count {
      guard utf8[index] == UInt8(ascii: "\\") else {
        bytes.append(utf8[index])
        index += 1
        continue
      }
      try #require(index + 1 < utf8.count, "a lone backslash ends \(text)")
      if utf8[index + 1] == UInt8(ascii: "\\") {
        bytes.append(UInt8(ascii: "\\"))
        index += 2
      } else {
        try #require(utf8[index + 1] == UInt8(ascii: "x") && index + 3 < utf8.count)
        let hex = String(decoding: utf8[(index + 2)...(index + 3)], as: UTF8.self)
        bytes.append(try #require(UInt8(hex, radix: 16)))
        index += 4
      }
    }
    return bytes
  }
}
