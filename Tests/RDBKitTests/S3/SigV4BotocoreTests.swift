import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// One S3 request signed by both our signer and botocore's `S3SigV4Auth` at a fixed time.
struct BotocoreCase: CustomTestStringConvertible, Sendable {
  var name: String
  var endpoint = S3Endpoint(region: "us-east-1", endpointURL: "http://127.0.0.1:9000")
  var bucket = "rdb-exports"
  var key: String?
  var query: [QueryItem] = []
  var headers: [HTTPHeader] = []
  var token: String?
  var payloadHash = SigV4Signer.emptyPayloadHash
  var testDescription: String { name }

  struct QueryItem: Sendable {
    let name: String
    let value: String
  }

  static let all: [BotocoreCase] = [
    BotocoreCase(
      name: "ranged GET, space in key", key: "nightly/my export-0001.rdb",
      headers: [HTTPHeader("Range", "bytes=0-8388607")]),
    BotocoreCase(
      name: "special characters and dot segments", key: "a/./b/../c+d=e&f:g@h!$'()*,;[]ü-0001.rdb",
      headers: [HTTPHeader("Range", "bytes=8388608-16777215"), HTTPHeader("If-Match", "\"abc\"")]),
    BotocoreCase(
      name: "list with slash prefix and opaque token",
      query: [
        QueryItem(name: "list-type", value: "2"), QueryItem(name: "prefix", value: "a/b c"),
        QueryItem(
          name: "continuation-token", value: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
        QueryItem(name: "encoding-type", value: "url"),
      ]),
    BotocoreCase(name: "bucket ACL", query: [QueryItem(name: "acl", value: "")]),
    BotocoreCase(
      name: "session token and unsigned payload", key: "my-export-0001.rdb",
      token: "FQoGZXIvYXdzEBYaDtoken/with+chars==", payloadHash: SigV4Signer.unsignedPayload),
    BotocoreCase(
      name: "virtual-hosted AWS endpoint",
      endpoint: S3Endpoint(region: "ap-east-1"), key: "cache-0001.rdb",
      headers: [HTTPHeader("Range", "bytes=0-99")]),
  ]
}

@Suite struct SigV4BotocoreTests {
  static let credentials = AWSCredentials(
    accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

  @Test(arguments: BotocoreCase.all)
  func matchesBotocore(_ testCase: BotocoreCase) throws {
    let query = testCase.query.map { (name: $0.name, value: $0.value) }
    let location = testCase.endpoint.location(
      bucket: testCase.bucket, key: testCase.key, query: SigV4Signer.canonicalQuery(query),
      region: testCase.endpoint.region)
    var credentials = Self.credentials
    credentials.sessionToken = testCase.token
    let date = try #require(AMZTime.parseISO8601("2015-08-30T12:36:00Z"))
    let signed = SigV4Signer(credentials: credentials, region: testCase.endpoint.region).sign(
      method: "GET", path: location.path, query: query,
      headers: [HTTPHeader("Host", location.host)] + testCase.headers,
      payloadHash: testCase.payloadHash, date: date)

    var arguments = [
      PythonTool.script("s3_helper.py"), "sign", "--method", "GET", "--url", location.url,
      "--access-key", credentials.accessKeyID, "--secret-key", credentials.secretAccessKey,
      "--region", testCase.endpoint.region, "--timestamp", "20150830T123600Z",
    ]
    for header in testCase.headers { arguments += ["--header", "\(header.name): \(header.value)"] }
    if let token = testCase.token { arguments += ["--session-token", token] }
    if testCase.payloadHash == SigV4Signer.unsignedPayload {
      arguments += ["--payload-sha256", SigV4Signer.unsignedPayload]
    }
    let output = try PythonTool.run(arguments)
    let oracle = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
    #expect(signed.canonicalRequest == oracle["canonical_request"])
    #expect(signed.stringToSign == oracle["string_to_sign"])
    #expect(signed.authorization == oracle["authorization"])
  }

  @Test func pathIsEncodedOnceAndNotNormalized() {
    let endpoint = S3Endpoint(region: "us-east-1", endpointURL: "http://127.0.0.1:9000")
    let location = endpoint.location(
      bucket: "b-1", key: "../x/./my%20file ü", query: "", region: "us-east-1")
    #expect(location.path == "/b-1/../x/./my%2520file%20%C3%BC")
  }
}
