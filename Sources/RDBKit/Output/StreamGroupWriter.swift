/// Writes a stream's metadata and consumer groups as JSON.
///
/// A group's pending entries come before its consumers in the file, but each pending entry
/// is written with the name of the consumer that owns it, so the group's entries are held
/// until its consumers have been read.
struct StreamGroupWriter {
  private var pending: [(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)] = []
  private var owners: [StreamID: [UInt8]] = [:]
  private var consumerName: [UInt8] = []
  private var groupCount = 0
  private var consumerCount = 0
  private var inGroup = false
  private var groupsOpen = false

  /// Closes the entries array and writes the metadata fields, then opens `groups`.
  mutating func writeMetadata(_ metadata: StreamMetadata, to output: OutputBuffer) {
    output.append("],\"length\":")
    output.append(integer: Int64(clamping: metadata.length))
    output.append(",\"last_id\":\"")
    output.append(metadata.lastID)
    output.append(UInt8(ascii: "\""))
    if let firstID = metadata.firstID {
      output.append(",\"first_id\":\"")
      output.append(firstID)
      output.append(UInt8(ascii: "\""))
    }
    if let maxDeletedID = metadata.maxDeletedID {
      output.append(",\"max_deleted_id\":\"")
      output.append(maxDeletedID)
      output.append(UInt8(ascii: "\""))
    }
    if let entriesAdded = metadata.entriesAdded {
      output.append(",\"entries_added\":")
      output.append(integer: Int64(clamping: entriesAdded))
    }
    output.append(",\"groups\":[")
    groupCount = 0
    inGroup = false
    groupsOpen = true
  }

  @unsafe mutating func beginGroup(
    name: UnsafeRawBufferPointer, info: StreamGroupInfo, style: ByteStringStyle,
    to output: OutputBuffer
  ) {
    closeGroup(to: output)
    if groupCount > 0 { output.append(UInt8(ascii: ",")) }
    groupCount += 1
    inGroup = true
    output.append("{\"name\":")
    unsafe JSONText.appendValue(name, style: style, to: output)
    output.append(",\"last_id\":\"")
    output.append(info.lastDeliveredID)
    output.append("\",\"entries_read\":")
    JSONText.appendInteger(info.entriesRead, to: output)
    output.append(",\"consumers\":[")
    consumerCount = 0
    pending.removeAll(keepingCapacity: true)
    owners.removeAll(keepingCapacity: true)
  }

  mutating func addPending(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64) {
    pending.append((id, deliveryTime, deliveryCount))
  }

  @unsafe mutating func beginConsumer(
    name: UnsafeRawBufferPointer, info: StreamConsumerInfo, style: ByteStringStyle,
    to output: OutputBuffer
  ) {
    if consumerCount > 0 { output.append(UInt8(ascii: ",")) }
    consumerCount += 1
    output.append("{\"name\":")
    let nameStart = output.count
    unsafe JSONText.appendValue(name, style: style, to: output)
    consumerName = output.bytes(in: nameStart..<output.count)
    output.append(",\"seen_time_ms\":")
    output.append(integer: info.seenTime)
    if let activeTime = info.activeTime {
      output.append(",\"active_time_ms\":")
      output.append(integer: activeTime)
    }
    output.append(",\"pending\":")
    output.append(integer: Int64(clamping: info.pendingCount))
    output.append(UInt8(ascii: "}"))
  }

  mutating func addConsumerPending(id: StreamID) {
    owners[id] = consumerName
  }

  /// Ends the open group: consumers, then its pending entries with their owners.
  private mutating func closeGroup(to output: OutputBuffer) {
    guard inGroup else { return }
    output.append("],\"pending\":[")
    for (index, entry) in pending.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      output.append("{\"id\":\"")
      output.append(entry.id)
      output.append("\",\"consumer\":")
      if let owner = owners[entry.id] {
        output.append(contentsOf: owner)
      } else {
        output.append("null")
      }
      output.append(",\"delivery_time_ms\":")
      output.append(integer: entry.deliveryTime)
      output.append(",\"delivery_count\":")
      output.append(integer: Int64(clamping: entry.deliveryCount))
      output.append(UInt8(ascii: "}"))
    }
    output.append("]}")
    inGroup = false
  }

  /// Ends the groups array, if still open (a type-26 stream's IDMP data follows it).
  mutating func endGroups(to output: OutputBuffer) {
    guard groupsOpen else { return }
    closeGroup(to: output)
    output.append(UInt8(ascii: "]"))
    groupsOpen = false
  }

  /// Ends the groups array and the stream object.
  mutating func finish(to output: OutputBuffer) {
    endGroups(to: output)
    output.append(UInt8(ascii: "}"))
  }
}
