/// Rejects a repeated field or member within one packed value, as a loading server does
/// (it builds a dictionary and fails on the second insert).
///
/// Elements are compared by their text: an integer element equals a string element holding
/// its decimal digits. The set of seen elements is reused from value to value, so after
/// warm-up the check allocates nothing.
struct DuplicateCheck {
  private var seen: Set<ElementText> = []

  /// Forgets the previous value's elements.
  mutating func reset() {
    seen.removeAll(keepingCapacity: true)
  }

  /// Records `element`; returns false when it was already there.
  @inline(__always)
  mutating func insert(_ element: PackedElement) -> Bool {
    seen.insert(ElementText(element)).inserted
  }

  /// Records raw bytes (zipmap fields); returns false when they were already there.
  @unsafe mutating func insert(_ bytes: UnsafeRawBufferPointer) -> Bool {
    unsafe insert(PackedElement(string: bytes))
  }
}

/// A packed element compared and hashed as the text it stands for.
@safe private struct ElementText: Hashable {
  let element: PackedElement

  init(_ element: PackedElement) {
    self.element = element
  }

  /// Calls `body` with the element's text (integers rendered on the stack).
  func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
    guard element.isInteger else { return unsafe body(element.string) }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    return unsafe withUnsafeMutableBytes(of: &digits) { scratch in
      let count = unsafe IntegerText.write(element.integer, into: scratch)
      return unsafe body(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
    }
  }

  func hash(into hasher: inout Hasher) {
    unsafe withText { unsafe hasher.combine(bytes: $0) }
  }

  static func == (lhs: ElementText, rhs: ElementText) -> Bool {
    if lhs.element.isInteger, rhs.element.isInteger {
      return lhs.element.integer == rhs.element.integer
    }
    return unsafe lhs.withText { left in
      unsafe rhs.withText { right in unsafe left.elementsEqual(right) }
    }
  }
}
