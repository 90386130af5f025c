import RDBKit

/// One HTTP header field as sent or received.
public struct HTTPHeader: Sendable, Equatable {
  /// The field name as written (comparisons ignore case).
  public var name: String
  /// The field value.
  public var value: String

  /// Creates a header field.
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}
