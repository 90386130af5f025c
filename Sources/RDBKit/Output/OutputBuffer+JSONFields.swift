/// The fixed parts of a JSON lines record (``JSONLinesWriter``), each written as one
/// constant: a literal of known length is stored in place by a few moves, where a name picked
/// at run time would be a `memcpy` call and two more capacity checks. Tiny keys (10 M a file)
/// spend most of their formatting here.
extension OutputBuffer {
  /// Appends `{"db":N,"key":`.
  @inline(__always)
  func appendRecordStart(database: Int) {
    if database == 0 {
      append("{\"db\":0,\"key\":")
    } else {
      append("{\"db\":")
      append(integer: Int64(database))
      append(",\"key\":")
    }
  }

  /// Appends `,"type":"NAME"` with `type`'s name, its raw value (`zset` for a sorted set).
  @inline(__always)
  func appendTypeField(_ type: DataType) {
    switch type {
    case .string: append(",\"type\":\"string\"")
    case .list: append(",\"type\":\"list\"")
    case .set: append(",\"type\":\"set\"")
    case .hash: append(",\"type\":\"hash\"")
    case .stream: append(",\"type\":\"stream\"")
    case .module: append(",\"type\":\"module\"")
    case .sortedSet: append(",\"type\":\"zset\"")
    }
  }

  /// Appends `,"encoding":"NAME","expire_ms":` with `encoding`'s name, its raw value.
  @inline(__always)
  func appendEncodingField(_ encoding: Encoding) {
    switch encoding {
    case .int: append(",\"encoding\":\"int\",\"expire_ms\":")
    case .embstr: append(",\"encoding\":\"embstr\",\"expire_ms\":")
    case .raw: append(",\"encoding\":\"raw\",\"expire_ms\":")
    case .linkedlist: append(",\"encoding\":\"linkedlist\",\"expire_ms\":")
    case .ziplist: append(",\"encoding\":\"ziplist\",\"expire_ms\":")
    case .quicklist: append(",\"encoding\":\"quicklist\",\"expire_ms\":")
    case .listpack: append(",\"encoding\":\"listpack\",\"expire_ms\":")
    case .listpackex: append(",\"encoding\":\"listpackex\",\"expire_ms\":")
    case .intset: append(",\"encoding\":\"intset\",\"expire_ms\":")
    case .hashtable: append(",\"encoding\":\"hashtable\",\"expire_ms\":")
    case .skiplist: append(",\"encoding\":\"skiplist\",\"expire_ms\":")
    case .zipmap: append(",\"encoding\":\"zipmap\",\"expire_ms\":")
    case .stream: append(",\"encoding\":\"stream\",\"expire_ms\":")
    }
  }
}
