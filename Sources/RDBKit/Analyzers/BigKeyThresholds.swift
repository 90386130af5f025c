/// What makes a key big enough to act on: a string longer than ``stringBytes`` or an
/// aggregate (list, set, sorted set, hash, stream) of more than ``elements`` elements. The
/// defaults are the thresholds users know from `redis-cli --bigkeys` advice and cloud
/// providers' guidance: 10 MB strings, 5,000 elements.
public struct BigKeyThresholds: Sendable, Equatable, Codable {
  /// How many of the big keys a report lists (all are counted).
  public static let listed = 100

  /// A string longer than this many bytes is big.
  public var stringBytes: Int
  /// An aggregate of more elements than this is big.
  public var elements: Int

  enum CodingKeys: String, CodingKey {
    case stringBytes = "string_bytes"
    case elements
  }

  /// Thresholds of `stringBytes` bytes and `elements` elements.
  public init(stringBytes: Int = 10_000_000, elements: Int = 5_000) {
    self.stringBytes = stringBytes
    self.elements = elements
  }

  /// Whether `report`'s key is over a threshold (modules' values have no element count here).
  func isBig(_ report: KeyMemoryReport) -> Bool {
    switch report.type {
    case .string: report.elementCount > stringBytes
    case .module: report.isVectorSet && report.elementCount > elements
    default: report.elementCount > elements
    }
  }
}
