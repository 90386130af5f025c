import RDBKit

extension CurlEasy {
  /// Performs `request` and returns the response with its whole body, whatever the status.
  func collect(_ request: HTTPRequest) throws(S3Error) -> HTTPResponse {
    var body: [UInt8] = []
    var response = try perform(request, into: &body)
    if response.status < 300 { response.body = body }
    return response
  }
}
