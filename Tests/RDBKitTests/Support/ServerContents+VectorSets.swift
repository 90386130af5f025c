import Foundation
import RDBKit

/// Vector sets read back from a live Redis 8: `VINFO` for the header, `VRANDMEMBER` for every
/// element name, `VEMB … RAW` for each stored vector with its norm and quantization range, and
/// `VGETATTR` for its attributes.
extension ServerContents {
  static func readVectorSet(_ name: [UInt8], from client: RESPClient) throws -> CollectedVectorSet {
    func call(_ words: [String], then more: [[UInt8]] = []) throws -> RESPValue {
      try client.callBytes(
        [Array(words[0].utf8), name] + words.dropFirst().map { Array($0.utf8) } + more)
    }
    var fields: [String: RESPValue] = [:]
    let flat = try call(["VINFO"]).elements
    for index in stride(from: 0, to: flat.count - 1, by: 2) {
      fields[flat[index].text ?? ""] = flat[index + 1]
    }
    let quantization: VectorSetInfo.Quantization =
      switch fields["quant-type"]?.text {
      case "f32": .f32
      case "bin": .binary
      default: .int8
      }
    let size = fields["size"]?.integer ?? 0
    let input = fields["projection-input-dim"]?.integer ?? 0
    var set = CollectedVectorSet(
      info: VectorSetInfo(
        dimension: Int(fields["vector-dim"]?.integer ?? 0), count: UInt64(size),
        quantization: quantization, hnswM: Int(fields["hnsw-m"]?.integer ?? 0),
        projectionInputDimension: input > 0 ? Int(input) : nil,
        hasAttributes: (fields["attributes-count"]?.integer ?? 0) > 0))
    for element in try call(["VRANDMEMBER", "\(size)"]).elements {
      let elementName = element.bytes ?? []
      let embedding = try call(["VEMB"], then: [elementName, Array("RAW".utf8)]).elements
      let attributes = try call(["VGETATTR"], then: [elementName]).bytes
      let vector = embedding.count > 1 ? embedding[1].bytes ?? [] : []
      set.elements.append(
        (
          nameHex: hex(elementName.span.bytes), vectorHex: hex(vector.span.bytes),
          attributesHex: attributes.map { hex($0.span.bytes) },
          l2: Float(Double(embedding.count > 2 ? embedding[2].text ?? "" : "") ?? .nan),
          range: embedding.count > 3 ? Double(embedding[3].text ?? "").map(Float.init) : nil
        ))
    }
    return set
  }
}
