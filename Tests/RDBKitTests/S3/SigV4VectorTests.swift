import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// One case of the AWS SigV4 test suite in `testdata/sigv4-test-suite/v4`.
struct SigV4Vector: CustomTestStringConvertible, Sendable {
  let directory: URL
  var testDescription: String { directory.lastPathComponent }

  static let all: [SigV4Vector] = {
    let base = TestPaths.testdata.appendingPathComponent("sigv4-test-suite/v4")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
    return names.sorted().map { SigV4Vector(directory: base.appendingPathComponent($0)) }
  }()

  func text(_ name: String) throws -> String {
    try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
  }
}

/// A request read from a vector's `request.txt`.
struct VectorRequest {
  var method = ""
  var rawPath = ""
  var query: [(name: String, value: String)] = []
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []

  init(_ text: String) {
    var lines = text.components(separatedBy: "\n")
    let requestLine = lines.removeFirst()
    let withoutVersion =
      requestLine.hasSuffix(" HTTP/1.1")
      ? String(requestLine.dropLast(" HTTP/1.1".count)) : requestLine
    let space = withoutVersion.firstIndex(of: " ") ?? withoutVersion.endIndex
    method = String(withoutVersion[..<space])
    let target = String(withoutVersion[withoutVersion.index(after: space)...])
    if let mark = target.firstIndex(of: "?") {
      rawPath = String(target[..<mark])
      for item in target[target.index(after: mark)...].split(separator: "&") {
        let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? "") : ""
        query.append((name, value))
      }
    } else {
      rawPath = target
    }
    while let line = lines.first, !line.isEmpty {
      lines.removeFirst()
      if line.first == " " || line.first == "\t", var last = headers.popLast() {
        last.value += " " + line.trimmingCharacters(in: .whitespaces)
        headers.append(last)
        continue
      }
      let colon = line.firstIndex(of: ":") ?? line.endIndex
      let value = colon < line.endIndex ? String(line[line.index(after: colon)...]) : ""
      headers.append(HTTPHeader(String(line[..<colon]), value))
    }
    if !lines.isEmpty { lines.removeFirst() }
    body = Array(lines.joined(separator: "\n").utf8)
  }

  /// The path other services sign: dot segments and duplicate slashes removed.
  static func normalized(_ path: String) -> String {
    var output: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." { _ = output.popLast(); continue }
      output.append(segment)
    }
    let joined = "/" + output.joined(separator: "/")
    return path.hasSuffix("/") && joined != "/" ? joined + "/" : joined
  }
}

@Suite struct SigV4VectorTests {
  @Test func vectorsArePresent() {
    #expect(SigV4Vector.all.count == 38, "testdata/sigv4-test-suite/v4 is missing cases")
  }

  @Test(arguments: SigV4Vector.all)
  func signerMatchesVector(_ vector: SigV4Vector) throws {
    let contextData = try Data(contentsOf: vector.directory.appendingPathComponent("context.json"))
    let context = try #require(
      try JSONSerialization.jsonObject(with: contextData) as? [String: Any])
    let credentialInfo = try #require(context["credentials"] as? [String: String])
    let omitToken = context["omit_session_token"] as? Bool ?? false
    let credentials = AWSCredentials(
      accessKeyID: try #require(credentialInfo["access_key_id"]),
      secretAccessKey: try #require(credentialInfo["secret_access_key"]),
      sessionToken: omitToken ? nil : credentialInfo["token"])
    let request = VectorRequest(try vector.text("request.txt"))
    let normalize = context["normalize"] as? Bool ?? false
    let path = SigV4Signer.uriEncode(
      normalize ? VectorRequest.normalized(request.rawPath) : request.rawPath, encodeSlash: false)
    let timestamp = try #require(context["timestamp"] as? String)
    let date = try #require(AMZTime.parseISO8601(timestamp))
    let signer = SigV4Signer(
      credentials: credentials, region: try #require(context["region"] as? String),
      service: try #require(context["service"] as? String))
    let signed = signer.sign(
      method: request.method, path: path, query: request.query, headers: request.headers,
      payloadHash: Digest.sha256Hex(request.body),
      addsPayloadHashHeader: context["sign_body"] as? Bool ?? false, date: date)
    #expect(signed.canonicalRequest == (try vector.text("header-canonical-request.txt")))
    #expect(signed.stringToSign == (try vector.text("header-string-to-sign.txt")))
    #expect(signed.signature == (try vector.text("header-signature.txt")))
  }
}
