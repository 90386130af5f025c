/// The structure-aware mutations of `FuzzDecoders`' inputs: a blob is decoded into its
/// entries (``PackedEntries``, ``IntsetMembers``, ``ZipmapPairs``; an LZF blob into its
/// string), changed there (values, encodings and widths, lengths at the edges of the forms,
/// repeats, order, counts), and written back with its headers, prevlens, backlens and counts
/// consistent; one time in five one of those fields is then broken on purpose. One mutation
/// in five is libFuzzer's own, on the raw bytes; one in ten moves the blob to another kind of
/// the same structure (a ziplist list to a ziplist hash, a listpack to a stream node).
enum StructureMutator {
  /// libFuzzer's `LLVMFuzzerCustomMutator`: mutates `size` bytes at `data` in place, to at
  /// most `maxSize`, and returns the new size.
  static func mutate(_ data: UnsafeMutablePointer<UInt8>, size: Int, maxSize: Int, seed: UInt32)
    -> Int
  {
    var source = MutationSource(seed: seed)
    guard size > 0, !source.oneIn(5) else { return unsafe libFuzzerMutate(data, size, maxSize) }
    let input = unsafe Array(UnsafeBufferPointer(start: data, count: size))
    guard let output = mutated(input, maxSize: maxSize, &source) else {
      return unsafe libFuzzerMutate(data, size, maxSize)
    }
    _ = unsafe UnsafeMutableBufferPointer(start: data, count: output.count).update(
      fromContentsOf: output)
    return output.count
  }

  /// libFuzzer's `LLVMFuzzerCustomCrossOver`: the entries of one input up to a cut, then the
  /// other's from a cut, for two inputs of the same structure; 0 (none) otherwise.
  static func crossOver(
    _ first: [UInt8], _ second: [UInt8], into out: UnsafeMutablePointer<UInt8>, maxSize: Int,
    seed: UInt32
  ) -> Int {
    var source = MutationSource(seed: seed)
    guard let selector = first.first, let other = second.first else { return 0 }
    let kind = DecoderKind(selector: selector)
    guard kind.family == DecoderKind(selector: other).family else { return 0 }
    var fields = LengthFields()
    let blob: [UInt8]
    switch kind.family {
    case .ziplist:
      blob = PackedEntries(ziplist: Array(first.dropFirst()))
        .crossed(with: PackedEntries(ziplist: Array(second.dropFirst())), &source).ziplist(&fields)
    case .listpack:
      blob = PackedEntries(listpack: Array(first.dropFirst()))
        .crossed(with: PackedEntries(listpack: Array(second.dropFirst())), &source)
        .listpack(&fields)
    default:
      return 0
    }
    guard blob.count + 1 <= maxSize else { return 0 }
    let output = [selector] + blob
    _ = unsafe UnsafeMutableBufferPointer(start: out, count: output.count).update(
      fromContentsOf: output)
    return output.count
  }

  private static func mutated(_ input: [UInt8], maxSize: Int, _ source: inout MutationSource)
    -> [UInt8]?
  {
    let kind = DecoderKind(selector: input[0])
    let blob = Array(input.dropFirst())
    if source.oneIn(10) {
      let siblings = kind.siblings
      return [siblings[source.below(siblings.count)].rawValue] + blob
    }
    let budget = maxSize - input.count
    var fields = LengthFields()
    var output: [UInt8]
    switch kind.family {
    case .ziplist:
      var entries = PackedEntries(ziplist: blob)
      entries.mutate(&source, byteBudget: budget)
      output = entries.ziplist(&fields)
    case .listpack:
      var entries = PackedEntries(listpack: blob)
      entries.mutate(&source, byteBudget: budget)
      output = entries.listpack(&fields)
    case .intset:
      var members = IntsetMembers(blob)
      members.mutate(&source)
      output = members.intset(&fields)
    case .zipmap:
      var pairs = ZipmapPairs(blob)
      pairs.mutate(&source, byteBudget: budget)
      output = pairs.zipmap(&fields)
    case .lzf:
      output = LZFString.mutated(blob, &source, limit: maxSize - 1)
    }
    if source.oneIn(5) { fields.breakOne(&output, &source) }
    guard output.count < maxSize else { return nil }
    return [input[0]] + output
  }
}
