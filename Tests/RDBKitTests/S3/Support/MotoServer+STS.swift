import Foundation

@testable import RDBS3

extension MotoServer {
  /// moto's own record of every STS session it issued (`GET /moto-api/data.json`, which moto
  /// never signature-checks): `role_arn`, `session_name`, `external_id`, `access_key_id`.
  func assumedRoles() throws -> [[String: Any]] {
    var request = HTTPRequest(method: "GET", url: endpoint + "/moto-api/data.json")
    request.transport.caBundlePath = caBundle
    request.transport.totalTimeout = 20
    let response = try CurlEasy().collect(request)
    guard response.status == 200,
      let document = try JSONSerialization.jsonObject(with: Data(response.body))
        as? [String: Any],
      let sts = document["sts"] as? [String: Any]
    else {
      throw HelperFailure(message: "moto's data.json answered \(response.status) without sts")
    }
    return sts["AssumedRole"] as? [[String: Any]] ?? []
  }

  /// The sessions moto issued with `sessionName`.
  func sessions(named sessionName: String) throws -> [[String: Any]] {
    try assumedRoles().filter { $0["session_name"] as? String == sessionName }
  }
}
