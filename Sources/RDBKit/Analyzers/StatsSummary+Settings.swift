extension StatsSummary {
  /// What a summary kept and how it grouped: summaries merge only when these are equal.
  public struct Settings: Codable, Sendable, Equatable {
    /// The byte that splits key names into prefixes, as text.
    public var separator: String
    /// The depth of the flat prefix list (`--depth`).
    public var depth: Int
    /// Biggest keys kept per type (`--top`).
    public var top: Int
    /// Biggest keys kept overall.
    public var topKeys: Int
    /// The prefix tree's deepest level.
    public var treeDepth: Int
    /// The prefix tree's most nodes.
    public var treeNodes: Int
    /// The most children a prefix-tree node keeps.
    public var treeChildren: Int
    /// What makes a key big.
    public var bigKeys: BigKeyThresholds

    enum CodingKeys: String, CodingKey {
      case separator, depth, top
      case topKeys = "top_keys"
      case treeDepth = "tree_depth"
      case treeNodes = "tree_nodes"
      case treeChildren = "tree_children"
      case bigKeys = "big_keys"
    }

    /// The settings of an analyzer built with these values.
    public init(
      separator: UInt8, depth: Int, top: Int, topKeys: Int, tree: PrefixTree,
      bigKeys: BigKeyThresholds
    ) {
      self.separator = KeyText.text([separator])
      self.depth = depth
      self.top = top
      self.topKeys = topKeys
      treeDepth = tree.maxDepth
      treeNodes = tree.nodeLimit
      treeChildren = tree.childLimit
      self.bigKeys = bigKeys
    }

    /// An empty prefix tree with these limits.
    public var emptyTree: PrefixTree {
      PrefixTree(
        separator: separator.utf8.first ?? UInt8(ascii: ":"), maxDepth: treeDepth,
        nodeLimit: treeNodes, childLimit: treeChildren)
    }
  }

  /// One input file: its size and version, its keys and memory, and its keys and memory per
  /// cluster hash slot.
  public struct File: Codable, Sendable, Equatable {
    /// The input as given (a path, `-`, an `s3://` URL).
    public var name: String
    /// Bytes read.
    public var fileBytes: Int
    /// Keys counted.
    public var keys: Int
    /// Their estimated memory.
    public var bytes: Int
    /// `Redis 7.4`, `Valkey 8.0`: the model's server.
    public var memoryModel: String
    /// The RDB format version.
    public var rdbVersion: Int?
    /// The server that wrote the file, from its AUX fields (`redis 7.0.15`).
    public var server: String?
    /// When the file was written (Unix ms, its `ctime`).
    public var snapshotTime: Int64?
    /// `[slot, keys, bytes]` for every hash slot that holds keys, in slot order.
    public var slots: [[Int]]

    enum CodingKeys: String, CodingKey {
      case name, keys, bytes, server, slots
      case fileBytes = "file_bytes"
      case memoryModel = "memory_model"
      case rdbVersion = "rdb_version"
      case snapshotTime = "snapshot_time"
    }

    /// A file's entry.
    public init(
      name: String, fileBytes: Int, keys: Int, bytes: Int, memoryModel: String,
      rdbVersion: Int?, server: String?, snapshotTime: Int64?, slots: [[Int]]
    ) {
      self.name = name
      self.fileBytes = fileBytes
      self.keys = keys
      self.bytes = bytes
      self.memoryModel = memoryModel
      self.rdbVersion = rdbVersion
      self.server = server
      self.snapshotTime = snapshotTime
      self.slots = slots
    }
  }
}
