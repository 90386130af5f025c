/// Names and IDs written without making a `String`: a type's or encoding's name from a
/// constant, a stream ID as two integers.
extension OutputBuffer {
  /// Appends `type`'s name, its raw value (`zset` for a sorted set).
  @inline(__always)
  func append(_ type: DataType) {
    let name: StaticString =
      switch type {
      case .string: "string"
      case .list: "list"
      case .set: "set"
      case .hash: "hash"
      case .stream: "stream"
      case .module: "module"
      case .sortedSet: "zset"
      }
    append(name)
  }

  /// Appends `encoding`'s name, its raw value (`OBJECT ENCODING`'s reply).
  @inline(__always)
  func append(_ encoding: Encoding) {
    let name: StaticString =
      switch encoding {
      case .int: "int"
      case .embstr: "embstr"
      case .raw: "raw"
      case .linkedlist: "linkedlist"
      case .ziplist: "ziplist"
      case .quicklist: "quicklist"
      case .listpack: "listpack"
      case .listpackex: "listpackex"
      case .intset: "intset"
      case .hashtable: "hashtable"
      case .skiplist: "skiplist"
      case .zipmap: "zipmap"
      case .stream: "stream"
      }
    append(name)
  }

  /// Appends `id` as `ms-seq`, its description.
  @inline(__always)
  func append(_ id: StreamID) {
    append(unsigned: id.milliseconds)
    append(UInt8(ascii: "-"))
    append(unsigned: id.sequence)
  }

  /// Appends the `TYPE` name of `report`'s key: `vectorset` for a vector set.
  @inline(__always)
  func appendTypeName(of report: KeyMemoryReport) {
    if report.isVectorSet { append("vectorset") } else { append(report.type) }
  }
}
