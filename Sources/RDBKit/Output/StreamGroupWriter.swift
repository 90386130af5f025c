/// Writes a stream's metadata and consumer groups as JSON.
///
/// A group's pending entries come before its consumers in the file, but each pending entry
/// is written with the name of the consumer that owns it, so the group's entries are held
/// until its consumers have been read.
///
/// The pending entries are in ID order in every file a server writes (its list is a radix
/// tree), so a consumer's entry is found among them by binary search and its owner kept
/// beside it: no hashing. Entries out of order (a file no server wrote) are matched through a
/// dictionary instead. A later owner of an entry replaces an earlier one either way.
struct StreamGroupWriter {
  private var pending: [(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)] = []
  /// Per pending entry, the index of the consumer that owns it, or -1.
  private var owner: [Int32] = []
  /// Whether the pending entries' IDs ascend (then ``owner`` is used, else ``owners``).
  private var pendingAscends = true
  private var owners: [StreamID: Int32] = [:]
  /// Each consumer's name as written (JSON text), one after the other, and where each ends.
  private var names: [UInt8] = []
  private var nameEnds: [Int] = []
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
    owner.removeAll(keepingCapacity: true)
    pendingAscends = true
    if !owners.isEmpty { owners.removeAll(keepingCapacity: true) }
    names.removeAll(keepingCapacity: true)
    nameEnds.removeAll(keepingCapacity: true)
  }

  mutating func addPending(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64) {
    if let last = pending.last, !(last.id < id) { pendingAscends = false }
    pending.append((id, deliveryTime, deliveryCount))
    owner.append(-1)
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
    names += output.bytes(in: nameStart..<output.count)
    nameEnds.append(names.count)
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
    let consumer = Int32(truncatingIfNeeded: nameEnds.count &- 1)
    guard pendingAscends else {
      owners[id] = consumer
      return
    }
    // The first entry not below `id`.
    var low = 0
    var high = pending.count
    while low < high {
      let middle = (low &+ high) &>> 1
      if pending[middle].id < id {
        low = middle &+ 1
      } else {
        high = middle
      }
    }
    if low < pending.count, pending[low].id == id { owner[low] = consumer }
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
      let consumer = pendingAscends ? Int(owner[index]) : Int(owners[entry.id] ?? -1)
      if consumer >= 0 {
        let start = consumer == 0 ? 0 : nameEnds[consumer &- 1]
        unsafe names.withUnsafeBytes {
          unsafe output.append(UnsafeRawBufferPointer(rebasing: $0[start..<nameEnds[consumer]]))
        }
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
