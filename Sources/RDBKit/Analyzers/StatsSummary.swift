/// The result of `rdbtool stats --json`: everything the tables and `rdbtool report` show, for
/// one file or an export, in a form that merges exactly.
///
/// Summaries of an export's shards, made on different machines, combine with
/// ``merged(_:)`` into the summary of the whole export: counts, memory, histograms, TTL
/// classes, per-slot figures and the prefix tree add up; the biggest-key lists keep the
/// biggest of both. ``formatVersion`` says which shape a document has; a reader refuses other
/// versions.
public struct StatsSummary: Codable, Sendable, Equatable {
  /// The shape written today; ``merged(_:)`` and `report --from-stats` accept only this one.
  public static let currentFormatVersion = 2

  /// The shape of the document (``currentFormatVersion``).
  public var formatVersion: Int
  /// The options that decided what was kept; only summaries made with the same ones merge.
  public var settings: Settings
  /// One entry per input file, in input order.
  public var files: [File]
  /// The figures of all files together.
  public var total: Part
  /// The memory model the estimates followed.
  public var memoryModel: Model

  enum CodingKeys: String, CodingKey {
    case files, total, settings
    case formatVersion = "format_version"
    case memoryModel = "memory_model"
  }

  /// A summary of the given parts.
  public init(settings: Settings, files: [File], total: Part, memoryModel: Model) {
    formatVersion = Self.currentFormatVersion
    self.settings = settings
    self.files = files
    self.total = total
    self.memoryModel = memoryModel
  }

  /// The allocator assumed and the line the text report prints about the model.
  public struct Model: Codable, Sendable, Equatable {
    /// `bundled`, `system` or `libc`.
    public var allocator: String
    /// The model, where it came from, and the allocator, as one line.
    public var note: String

    /// A model description.
    public init(allocator: String, note: String) {
      self.allocator = allocator
      self.note = note
    }
  }
}
