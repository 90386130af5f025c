/// `--as-loaded`: the encodings a server of the model's version gives each value when it loads
/// the file (`rdbLoadObject` in rdb.c of 6.2, 7.0 and Valkey 8.0), where they differ from the
/// file's.
///
/// - A hash table (set, hash, sorted set) within the target's compact limits is loaded into
///   an intset or a listpack (a ziplist before 7.0).
/// - A compact blob with more elements than the target's limit is converted to a hash table
///   or skiplist (the loader checks only the count, not the element sizes).
/// - A ziplist (files of 6.2 and older) loaded by 7.0 or later becomes a listpack, quicklist
///   nodes one by one.
///
/// Table sizes and skiplist nodes are estimated from the elements as for any hash table, which
/// is why every element's hash-table cost and packed size are tallied while loading.
extension MemoryEstimator {
  /// The compact-encoding limits of a server of `version` with its default configuration.
  static func defaultLimits(_ version: MemoryModel.Version) -> EncodingLimits {
    let name = version.rawValue.hasPrefix("valkey") ? version.rawValue : "redis-\(version.rawValue)"
    return TargetEngine.named(name)?.limits ?? EncodingLimits()
  }

  /// Whether the value's elements feed the hash-table costs whatever the file's encoding.
  var tallyAllElements: Bool { loadLimits != nil }

  /// Starts a quicklist node whose ziplist the target converts to a listpack.
  mutating func beginConvertedListNode() {
    settleConvertedListNode()
    nodePacked.reset()
    convertingNode = true
  }

  /// Adds the converted node that is open, if any, at the size of its listpack.
  mutating func settleConvertedListNode() {
    guard convertingNode else { return }
    nodeCosts += model.quicklistNodeSize + model.packedCost(nodePacked.listpackBytes)
    if nodeIndex == 0 { firstNodeBytes = nodePacked.listpackBytes }
    nodeIndex += 1
    convertingNode = false
  }

  /// Whether the target stores compact values as listpacks (7.0+) rather than ziplists.
  private var targetPacksListpacks: Bool { model.dictSize == 56 }

  /// The cost of the value in the target's compact encoding for hashes and sorted sets.
  private var packedValueCost: Int {
    16 + model.packedCost(targetPacksListpacks ? packed.listpackBytes : packed.ziplistBytes)
  }

  /// Changes `encoding` and `valueCost` to what the loading server holds; hash tables are
  /// then finished by the caller as usual.
  mutating func convertAsLoaded() {
    guard let limits = loadLimits, let type = info?.dataType else { return }
    let ziplistInFile = encoding == .ziplist || encoding == .zipmap
    switch type {
    case .set:
      if encoding == .hashtable {
        if allIntegers, elements <= limits.intsetEntries {
          encoding = .intset
          valueCost = 16 + model.packedCost(8 + packed.intsetWidth * elements)
        } else if limits.setListpackEntries > 0, elements <= limits.setListpackEntries,
          largest <= limits.setListpackValue
        {
          encoding = .listpack
          valueCost = 16 + model.packedCost(packed.listpackBytes)
        }
      } else if encoding == .intset, elements > limits.intsetEntries {
        encoding = .hashtable
      } else if encoding == .listpack, elements > limits.setListpackEntries {
        encoding = .hashtable
      }
    case .hash where encoding != .listpackex:
      if encoding == .hashtable {
        if elements <= limits.hashEntries, largest <= limits.hashValue {
          encoding = targetPacksListpacks ? .listpack : .ziplist
          valueCost = packedValueCost
        }
      } else if elements > limits.hashEntries
        || (encoding == .zipmap && largest > limits.hashValue)
      {
        encoding = .hashtable
      } else if ziplistInFile == targetPacksListpacks {
        encoding = targetPacksListpacks ? .listpack : .ziplist
        valueCost = packedValueCost
      }
    case .sortedSet:
      if encoding == .skiplist {
        if elements <= limits.sortedSetEntries, largest <= limits.sortedSetValue {
          encoding = targetPacksListpacks ? .listpack : .ziplist
          valueCost = packedValueCost
        }
      } else if elements > limits.sortedSetEntries {
        encoding = .skiplist
      } else if ziplistInFile == targetPacksListpacks {
        encoding = targetPacksListpacks ? .listpack : .ziplist
        valueCost = packedValueCost
      }
    default: break
    }
  }
}
