/// The element events: each element adds to the value's count, its largest element and, for
/// hash tables and skiplists (and every value `--as-loaded` may convert), its cost, looked up
/// in ``MemoryModel/ElementCosts`` for the model in use.
extension MemoryEstimator {
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    count(element.byteCount)
    if convertingNode { nodePacked.add(element) }
  }

  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    count(member.byteCount)
    guard encoding == .hashtable || tallyAllElements else { return }
    if allIntegers, !IntegerText.isCanonicalInteger(member) {
      allIntegers = false
    }
    elementCostSum += costs.setMember(member.byteCount, model: model)
    if tallyAllElements { packed.add(member) }
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    count(member.byteCount)
    guard encoding == .skiplist || tallyAllElements else { return }
    elementCosts += costs.skiplistMember(member.byteCount, model: model, nodeCost: skiplistNodeCost)
    if tallyAllElements { tallyLoaded(member, score: score) }
  }

  /// `--as-loaded`: adds a sorted-set member and its score to the packed size. Out of line:
  /// the estimate of the file's own encodings does not run it.
  @inline(never)
  private mutating func tallyLoaded(_ member: RawSpan, score: Double) {
    packed.add(member)
    // A ziplist keeps the text its writer (6.2 or older) gave the score.
    let style: PackedSizeTally.ScoreStyle =
      encoding == .ziplist || !model.embstrIsRounded
      ? .seventeenDigits : model.version == .redis70 ? .listpack70 : .shortest
    packed.add(score: score, style: style)
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    count(max(field.byteCount, value.byteCount))
    if expiresAt != nil { fieldsWithTTL += 1 }
    guard encoding == .hashtable || tallyAllElements else { return }
    if tallyAllElements { tallyLoaded(field, value: value) }
    elementCostSum += costs.hashEntry(
      fieldLength: field.byteCount, valueLength: value.byteCount, hasTTL: expiresAt != nil,
      model: model)
  }

  /// `--as-loaded`: adds a hash field and its value to the packed size, and notes the first
  /// field too long for the target's listpack. Out of line, as ``tallyLoaded(_:score:)``.
  @inline(never)
  private mutating func tallyLoaded(_ field: RawSpan, value: RawSpan) {
    packed.add(field)
    packed.add(value)
    if fieldsBeforeLongOne == nil,
      max(field.byteCount, value.byteCount) > loadLimits?.hashValue ?? .max
    {
      fieldsBeforeLongOne = elements - 1
    }
  }

  @inline(__always)
  mutating func count(_ length: Int) {
    // A handler that reads packed elements never gets counts (``needsPackedElementCounts``).
    if !Self.needsPackedElements, countedFromBlobs {
      // Elements of a blob the parser does not walk in place (an intset, a zipmap, a PLAIN
      // node): counted from the blob, measured here.
      if Self.needsPackedElementLengths, length > largest { largest = length }
      return
    }
    elements += 1
    if length > largest { largest = length }
  }
}
