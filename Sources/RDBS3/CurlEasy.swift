internal import CCurl
internal import CCurlShims
import RDBKit

/// One libcurl easy handle, reused across requests so connections are kept alive.
///
/// The handle is owned by this object and released with `curl_easy_cleanup` in `deinit`. It is
/// not thread-safe: use one `CurlEasy` per thread. Every request sets `CURLOPT_PATH_AS_IS` (S3
/// signs paths unnormalized) and verifies TLS peers and host names.
@safe
final class CurlEasy {
  /// `curl_global_init` must run once before any handle exists; a lazy static does it once.
  private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

  private let handle: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>

  /// Creates an easy handle. The corresponding C function is `curl_easy_init`.
  init() throws(S3Error) {
    guard Self.globalInit == CURLE_OK, let handle = unsafe curl_easy_init() else {
      throw S3Error(.transport, message: "libcurl failed to initialise")
    }
    unsafe self.handle = handle
    unsafe errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    unsafe errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
  }

  deinit {
    unsafe curl_easy_cleanup(handle)
    unsafe errorBuffer.deallocate()
  }

  /// Performs `request`, appending a successful (< 300) body to `body` as it arrives.
  ///
  /// Bytes already in `body` stay (a resumed part keeps what it had). The transfer is aborted,
  /// and throws a transport error, when `body` would grow past `limit` bytes or `isCancelled`
  /// returns true. Error bodies go into the returned response instead. The corresponding C
  /// function is `curl_easy_perform`.
  /// - Throws: ``S3Error`` of kind `.transport` with the curl code on connection failures and
  ///   timeouts; HTTP errors are returned, not thrown.
  func perform(
    _ request: HTTPRequest, into body: inout [UInt8], limit: Int = .max,
    isCancelled: () -> Bool = { false }
  ) throws(S3Error) -> HTTPResponse {
    // The sink runs only inside curl_easy_perform, below, while `body` is borrowed here.
    let sink: (UnsafeRawBufferPointer) -> Bool = { bytes in
      guard !isCancelled(), body.count + bytes.count <= limit else { return false }
      unsafe body.append(contentsOf: bytes)
      return true
    }
    let result: Result<HTTPResponse, S3Error> = unsafe withoutActuallyEscaping(sink) {
      escapable in
      let context = unsafe TransferContext(sink: escapable)
      return unsafe request.body.withUnsafeBytes { body in
        unsafe run(request, body: body, context: context)
      }
    }
    return try result.get()
  }

  /// Runs one transfer; `body` (the request's body bytes) stays valid for the whole call.
  private func run(
    _ request: HTTPRequest, body: UnsafeRawBufferPointer, context: TransferContext
  ) -> Result<HTTPResponse, S3Error> {
    unsafe curl_easy_reset(handle)
    unsafe errorBuffer[0] = 0
    var headerList: UnsafeMutablePointer<curl_slist>? = nil
    var connectList: UnsafeMutablePointer<curl_slist>? = nil
    defer {
      unsafe curl_slist_free_all(headerList)
      unsafe curl_slist_free_all(connectList)
    }
    for header in request.headers {
      unsafe headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // libcurl adds "Expect: 100-continue" to bodies; S3 does not need the extra round trip.
    unsafe headerList = curl_slist_append(headerList, "Expect:")
    // A PUT or POST without a body still says so (S3 answers 411 to a PUT without a length).
    if unsafe body.isEmpty, request.method == "PUT" || request.method == "POST" {
      unsafe headerList = curl_slist_append(headerList, "Content-Length: 0")
    }
    for entry in request.transport.connectTo {
      unsafe connectList = curl_slist_append(connectList, entry)
    }
    let opaque = unsafe Unmanaged.passUnretained(context).toOpaque()
    var code = CURLE_OK
    func set(_ option: CURLoption, _ value: Int) {
      if code == CURLE_OK { code = unsafe rdb_curl_setopt_long(handle, option, value) }
    }
    func set(_ option: CURLoption, _ value: String) {
      if code == CURLE_OK { code = unsafe rdb_curl_setopt_string(handle, option, value) }
    }
    set(CURLOPT_URL, request.url)
    set(CURLOPT_PATH_AS_IS, 1)
    set(CURLOPT_NOSIGNAL, 1)
    set(CURLOPT_SSL_VERIFYPEER, 1)
    set(CURLOPT_SSL_VERIFYHOST, 2)
    set(CURLOPT_FOLLOWLOCATION, 0)
    set(CURLOPT_CONNECTTIMEOUT_MS, Int(request.transport.connectTimeout * 1000))
    set(CURLOPT_TIMEOUT_MS, Int(request.transport.totalTimeout * 1000))
    set(CURLOPT_LOW_SPEED_LIMIT, request.transport.lowSpeedLimit)
    set(CURLOPT_LOW_SPEED_TIME, request.transport.lowSpeedTime)
    if let caBundle = request.transport.caBundlePath { set(CURLOPT_CAINFO, caBundle) }
    switch request.method {
    case "GET": break
    case "HEAD": set(CURLOPT_NOBODY, 1)
    default: set(CURLOPT_CUSTOMREQUEST, request.method)
    }
    if unsafe !body.isEmpty {
      set(CURLOPT_POSTFIELDSIZE, body.count)
      if code == CURLE_OK {
        // POSTFIELDS does not copy: `body` outlives curl_easy_perform below, and an upload
        // part is not held twice in memory.
        code = unsafe rdb_curl_setopt_pointer(
          handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress))
      }
    }
    if code == CURLE_OK {
      code = unsafe rdb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
    }
    if code == CURLE_OK, unsafe connectList != nil {
      code = unsafe rdb_curl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectList)
    }
    if code == CURLE_OK {
      code = unsafe rdb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }
    if code == CURLE_OK {
      code = unsafe rdb_curl_setopt_write_function(
        handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
    }
    if code == CURLE_OK {
      code = unsafe rdb_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque)
    }
    if code == CURLE_OK {
      code = unsafe rdb_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
    }
    if code == CURLE_OK { code = unsafe rdb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque) }
    if code == CURLE_OK { code = unsafe curl_easy_perform(handle) }
    guard code == CURLE_OK else {
      let detail =
        unsafe errorBuffer[0] != 0
        ? unsafe String(cString: errorBuffer) : unsafe String(cString: curl_easy_strerror(code))
      return .failure(
        S3Error(
          .transport, message: context.aborted ? "transfer cancelled" : detail,
          curlCode: Int(code.rawValue)))
    }
    var status = 0
    _ = unsafe rdb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return .success(HTTPResponse(status: status, headers: context.headers, body: context.body))
  }
}

/// The state one transfer's callbacks share, reached from C through `Unmanaged`.
@safe
private final class TransferContext {
  let sink: (UnsafeRawBufferPointer) -> Bool
  var status = 0
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []
  var aborted = false

  init(sink: @escaping (UnsafeRawBufferPointer) -> Bool) { unsafe self.sink = sink }

  func header(line: String) {
    if line.hasPrefix("HTTP/") {
      // A new status line (after 100 Continue): drop what belonged to the previous one.
      headers.removeAll()
      status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return
    }
    guard let colon = line.firstIndex(of: ":") else { return }
    let name = String(line[..<colon])
    let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t", "\r", "\n"])
    headers.append(HTTPHeader(name, value))
  }

  func data(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if status >= 300 || status == 0 {
      unsafe body.append(contentsOf: bytes)
      return true
    }
    if unsafe !sink(bytes) {
      aborted = true
      return false
    }
    return true
  }
}

/// CURLOPT_HEADERFUNCTION: one header line per call, not NUL-terminated.
private func curlHeaderCallback(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
) -> Int {
  guard let data = unsafe data, let user = unsafe user else { return 0 }
  let context = unsafe Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
  let bytes = unsafe UnsafeRawBufferPointer(start: data, count: size * count)
  unsafe context.header(line: String(decoding: bytes, as: UTF8.self))
  return size * count
}

/// CURLOPT_WRITEFUNCTION: a chunk of the body; returning less than its size aborts.
private func curlWriteCallback(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
) -> Int {
  guard let data = unsafe data, let user = unsafe user else { return 0 }
  let context = unsafe Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
  let bytes = unsafe UnsafeRawBufferPointer(start: data, count: size * count)
  return unsafe context.data(bytes) ? size * count : 0
}
