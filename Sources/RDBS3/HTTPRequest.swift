import RDBKit

/// One HTTP exchange for ``CurlEasy``: what to send and the transfer limits.
struct HTTPRequest: Sendable {
  /// The method, upper case; `HEAD` asks for no body.
  var method: String
  /// The full URL with its already-encoded path and query.
  var url: String
  /// Headers to send, in order.
  var headers: [HTTPHeader] = []
  /// The request body; sent only when not empty.
  var body: [UInt8] = []
  /// The transfer limits and TLS settings.
  var transport = TransportOptions()
}

/// Limits and connection settings shared by every request of a client.
public struct TransportOptions: Sendable, Equatable {
  /// Seconds allowed to connect.
  public var connectTimeout: Double = 10
  /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is aborted.
  public var lowSpeedLimit: Int = 1
  /// See `lowSpeedLimit`.
  public var lowSpeedTime: Int = 30
  /// Seconds allowed for a whole request; 0 means no limit (large parts on slow links).
  public var totalTimeout: Double = 0
  /// A PEM file of extra trusted CAs (`AWS_CA_BUNDLE`); nil uses the system store.
  public var caBundlePath: String?
  /// curl `--connect-to` entries (`HOST:PORT:CONNECT-HOST:CONNECT-PORT`), for tests that keep
  /// production host names but connect to loopback.
  public var connectTo: [String] = []

  /// The defaults: 10 s to connect, abort after 30 s below 1 byte/s, no total limit.
  public init() {}
}

/// The status, headers and (for errors and small replies) body of an HTTP response.
struct HTTPResponse: Sendable {
  /// The HTTP status code.
  var status: Int
  /// The response headers in order, names as received.
  var headers: [HTTPHeader]
  /// The collected body: the whole body when the caller collects it, and always the body of
  /// an error status (>= 300), which streaming callers do not consume.
  var body: [UInt8]

  /// The last value of the header `name`, compared without case.
  func header(_ name: String) -> String? {
    let lowered = name.lowercased()
    return headers.last { $0.name.lowercased() == lowered }?.value
  }
}
