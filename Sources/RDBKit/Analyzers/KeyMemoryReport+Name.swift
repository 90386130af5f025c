extension KeyMemoryReport {
  /// A key name's bytes in a buffer that ``MemoryEstimator`` fills again for each key.
  ///
  /// Copy on write, as an array is, but refilled by one check and one copy: a report shares
  /// the estimator's buffer, and when a consumer keeps the report (``TopKeys``,
  /// ``KeyMemoryCollector``), the next key finds the buffer shared and takes a new one, so a
  /// kept report never changes. Most reports are dropped, and their keys cost no allocation.
  struct Name: Sendable {
    /// The buffer: written only while one reference holds it, so no reader ever sees a write.
    @safe final class Storage: @unchecked Sendable {
      let bytes: UnsafeMutableRawPointer
      let capacity: Int
      var count = 0

      init(capacity: Int) {
        self.capacity = capacity
        unsafe bytes = .allocate(byteCount: capacity, alignment: 8)
      }

      deinit { unsafe bytes.deallocate() }
    }

    private var storage: Storage

    /// An empty name.
    init() { storage = Storage(capacity: 32) }

    /// A name holding `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
      storage = Storage(capacity: max(bytes.count, 32))
      unsafe replace(with: bytes)
    }

    /// The name's length in bytes.
    var count: Int { storage.count }
    /// The bytes the buffer holds without growing.
    var capacity: Int { storage.capacity }

    /// Calls `body` with the name's bytes, valid during the call.
    @inline(__always)
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
      -> Result
    {
      try unsafe body(UnsafeRawBufferPointer(start: storage.bytes, count: storage.count))
    }

    /// Whether no other name or report shares the buffer, which ``replace(with:)`` then fills
    /// in place.
    var isUnshared: Bool { mutating get { isKnownUniquelyReferenced(&storage) } }

    /// The bytes as an array.
    var array: [UInt8] { unsafe withUnsafeBytes { unsafe Array($0) } }

    /// Makes the name `bytes`: in place when no report shares the buffer and it is large
    /// enough, else in a new buffer.
    @inline(__always)
    mutating func replace(with bytes: UnsafeRawBufferPointer) {
      let count = bytes.count
      if !isKnownUniquelyReferenced(&storage) {
        storage = Storage(capacity: max(count, 32))
      } else if storage.capacity < count {
        storage = Storage(capacity: max(count, 2 * storage.capacity))
      }
      if let source = bytes.baseAddress {
        unsafe storage.bytes.copyMemory(from: source, byteCount: count)
      }
      storage.count = count
    }
  }
}

extension KeyMemoryReport.Name: Equatable {
  static func == (lhs: Self, rhs: Self) -> Bool {
    unsafe lhs.withUnsafeBytes { left in
      unsafe rhs.withUnsafeBytes { right in unsafe left.holdsSameBytes(as: right) }
    }
  }
}
