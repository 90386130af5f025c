/// The header of a vector set (Redis 8's `vectorset` module type, stored as a type-7 module
/// value), reported by ``RDBHandler/beginVectorSet(_:)`` before its elements.
public struct VectorSetInfo: Sendable, Equatable {
  /// How the set stores its vectors.
  public enum Quantization: String, Sendable, CaseIterable {
    /// 32-bit floats, little-endian, L2-normalized (`VADD … NOQUANT`).
    case f32
    /// Signed 8-bit integers scaled by the element's range (`Q8`, the default).
    case int8
    /// One bit per dimension in little-endian 64-bit words (`BIN`).
    case binary = "bin"
  }

  /// The dimension of the stored vectors (after `REDUCE`, the reduced one).
  public var dimension: Int
  /// The number of elements that follow.
  public var count: UInt64
  /// How the vectors are stored.
  public var quantization: Quantization
  /// The HNSW `M` parameter (links per node above layer 0).
  public var hnswM: Int
  /// With `REDUCE`, the dimension of the vectors before the random projection; else nil.
  public var projectionInputDimension: Int?
  /// Whether every element carries an attribute item (possibly empty).
  public var hasAttributes: Bool

  /// Creates a header.
  public init(
    dimension: Int, count: UInt64, quantization: Quantization, hnswM: Int,
    projectionInputDimension: Int?, hasAttributes: Bool
  ) {
    self.dimension = dimension
    self.count = count
    self.quantization = quantization
    self.hnswM = hnswM
    self.projectionInputDimension = projectionInputDimension
    self.hasAttributes = hasAttributes
  }

  /// The size of one stored vector in bytes: 4 per dimension (`f32`), 1 (`int8`), or one bit
  /// per dimension rounded up to 64-bit words (`bin`).
  public var vectorByteCount: Int {
    switch quantization {
    case .f32: return dimension * 4
    case .int8: return dimension
    case .binary: return (dimension + 63) / 64 * 8
    }
  }
}
