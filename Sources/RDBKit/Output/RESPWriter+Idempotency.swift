/// A stream's idempotent producers (Redis 8.6) as the commands that recreate them:
/// `XCFGSET` for the duration and size, then `XIDMPRECORD` for each producer's recorded IDs.
/// Every Redis 8.6 stream has the settings; those equal to the server's defaults (100 s, 100
/// IDs) are not written, so a stream without producers loads into older servers too. The
/// counters of IDs added and refused as duplicates start again from these.
extension RESPWriter {
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    guard settings.duration != 100 || settings.maxSize != 100 else { return }
    guard target.hasStreamIdempotency else {
      omitted.streamIdempotency += 1
      return
    }
    aside.begin("XCFGSET", key: key)
    aside.add("IDMP-DURATION")
    aside.add(integer: Int64(clamping: settings.duration))
    aside.add("IDMP-MAXSIZE")
    aside.add(integer: Int64(clamping: settings.maxSize))
    aside.write(to: output)
  }

  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    producer = unsafe id.withUnsafeBytes { unsafe Array($0) }
  }

  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    guard target.hasStreamIdempotency else {
      omitted.streamIdempotency += 1
      return
    }
    aside.begin("XIDMPRECORD", key: key)
    aside.add(producer)
    aside.add(iid)
    aside.add(id.description)
    aside.write(to: output)
    try output.flushIfFull()
  }
}
