/// What a vector set's `MEMORY USAGE` depends on, gathered element by element: the module's
/// own estimate (`VectorSetMemUsage` in Redis's `modules/vector-sets/vset.c`) is computed
/// from counts, the vector size, the first node's layer-0 link limit and the sizes of the
/// first 20 elements' names and attributes, not from a walk of the whole set.
struct VectorSetTally: Sendable {
  /// How many elements the module samples for the average name and attribute size.
  static let scanned = 20

  var elements = 0
  var vectorBytes: Int
  var projectionBytes: Int
  /// The first node's layer-0 link limit.
  var firstLinkLimit = 0
  var nameBytes = 0
  var namesScanned = 0
  var attributeBytes = 0
  var attributesScanned = 0
  var attributeCount = 0

  init(_ info: VectorSetInfo) {
    vectorBytes = info.vectorByteCount
    projectionBytes = 4 * info.dimension * (info.projectionInputDimension ?? 0)
  }

  /// Adds one element; `stringSize` is what `RedisModule_MallocSizeString` says for a string
  /// of that many bytes.
  mutating func add(
    nameLength: Int, attributesLength: Int, linkLimit: Int, stringSize: (Int) -> Int
  ) {
    if elements == 0 { firstLinkLimit = linkLimit }
    if elements < Self.scanned {
      nameBytes += stringSize(nameLength)
      namesScanned += 1
      if attributesLength > 0 {
        attributeBytes += stringSize(attributesLength)
        attributesScanned += 1
      }
    }
    if attributesLength > 0 { attributeCount += 1 }
    elements += 1
  }

  /// The module's figure. The structure sizes are those of a 64-bit Redis 8.0/8.6 build,
  /// fitted to the fixtures' 16 vector sets and exact for all of them: `sizeof(vsetObject)`
  /// + `sizeof(HNSW)` and what `MEMORY USAGE` adds beyond the robj and the key come to 1768;
  /// each node costs `sizeof(hnswNode)`, 4/3 of a `hnswNodeLayer` and a 16-byte dict entry,
  /// 360 in all, plus its vector, a pointer per layer-0 link and a third of the upper layers'.
  var cost: Int {
    guard elements > 0 else { return 1768 + projectionBytes }
    let links = firstLinkLimit
    var size = 1768 + projectionBytes
    size += elements * (360 + vectorBytes + 8 * links)
    size += 8 * (links / 2) * elements / 3
    size += nameBytes / namesScanned * elements
    let attributeAverage = attributesScanned == 0 ? 64 : attributeBytes / attributesScanned
    size += attributeAverage * attributeCount
    return size
  }
}
