/// One key's estimated memory, as ``MemoryEstimator`` reports it: a row of `rdbtool memory`.
public struct KeyMemoryReport: Sendable, Equatable {
  /// The database number.
  public var database: Int
  /// The key name's bytes, as a new array at each read (RDBKit's consumers read them in place,
  /// ``withKeyBytes(_:)``).
  public var key: [UInt8] {
    get { name.array }
    set { name = unsafe newValue.withUnsafeBytes { unsafe Name($0) } }
  }
  /// The key name's bytes, shared with the estimator until a consumer keeps the report.
  var name: Name
  /// The data type, as `TYPE` names it.
  public var type: DataType
  /// The in-memory encoding, as `OBJECT ENCODING` names it.
  public var encoding: Encoding
  /// The estimate of `MEMORY USAGE key SAMPLES 0`, in bytes.
  public var sizeInBytes: Int
  /// Elements: list elements, set or sorted-set members, hash fields, stream entries; for a
  /// string, its length.
  public var elementCount: Int
  /// The length of the longest element (member, field or value), or of the string.
  public var largestElementLength: Int
  /// The key's absolute expiry in Unix milliseconds, or nil.
  public var expiresAt: Int64?
  /// Whether the value is a vector set (a ``DataType/module`` value of the `vectorset` module).
  public var isVectorSet: Bool

  /// The `TYPE` reply: `vectorset` for a vector set, else the data type's name.
  public var typeName: String { isVectorSet ? "vectorset" : type.rawValue }

  /// Creates a report.
  public init(
    database: Int, key: [UInt8], type: DataType, encoding: Encoding, sizeInBytes: Int,
    elementCount: Int, largestElementLength: Int, expiresAt: Int64?, isVectorSet: Bool = false
  ) {
    self.init(
      database: database, name: unsafe key.withUnsafeBytes { unsafe Name($0) }, type: type,
      encoding: encoding, sizeInBytes: sizeInBytes, elementCount: elementCount,
      largestElementLength: largestElementLength, expiresAt: expiresAt, isVectorSet: isVectorSet)
  }

  /// A report of the key named `name` (the estimator's buffer).
  init(
    database: Int, name: Name, type: DataType, encoding: Encoding, sizeInBytes: Int,
    elementCount: Int, largestElementLength: Int, expiresAt: Int64?, isVectorSet: Bool
  ) {
    self.database = database
    self.name = name
    self.type = type
    self.encoding = encoding
    self.sizeInBytes = sizeInBytes
    self.elementCount = elementCount
    self.largestElementLength = largestElementLength
    self.expiresAt = expiresAt
    self.isVectorSet = isVectorSet
  }

  /// Calls `body` with the key name's bytes, without copying them.
  @inline(__always)
  func withKeyBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    try unsafe name.withUnsafeBytes(body)
  }
}
