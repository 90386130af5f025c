/// Recording what a loading server accepts but no server of today writes.
extension Decoder {
  /// Lists a warning about the current key at `offset`, unless the summary is full.
  mutating func warn(_ kind: RDBWarning.Kind, at offset: Int) {
    guard warnings.count < ParseSummary.warningLimit else { return }
    let name = unsafe key.baseAddress == nil ? nil : String(decoding: key, as: UTF8.self)
    warnings.append(RDBWarning(kind, at: offset, key: name))
  }
}
