import RDBKit
import Testing

/// Every fixture rewritten in its own version (``RDBWriter/Options/target`` nil), once copying
/// the values the format holds unchanged and once decoding and encoding every value: the new
/// file parses to the same records as its input, and rewriting the new file gives it back byte
/// for byte.
///
/// Encodings stay as the input had them, except where the fixture holds a value in an
/// encoding a server of its version would not choose with its default configuration; those
/// exceptions are listed in ``expectedEncodingChanges(_:)``.
@Suite struct FixtureRewriteTests {
  @Test func fixturesArePresent() {
    #expect(Fixture.all.count >= 77, "testdata/fixtures is missing files")
  }

  @Test(arguments: Fixture.all)
  func sameVersionRewriteKeepsEveryRecord(_ fixture: Fixture) throws {
    let input = try fixture.bytes()
    let (before, beforeSummary) = try parseImage(input)
    let records = before.keys.map(Self.canonical)
    let allowed = Self.expectedEncodingChanges(fixture)
    let profile = fixture.rdb.deletingPathExtension().lastPathComponent
    for copies in Self.reencodedProfiles.contains(profile) ? [true, false] : [true] {
      let mode = copies ? "copying" : "re-encoding"
      var options = RDBWriter.Options(target: nil)
      options.copiesValues = copies
      let first = try WriterOutput.rewrite(input, options)
      #expect(first.writer.losses.isEmpty, "\(mode): \(first.writer.losses)")
      let (after, afterSummary) = try parseImage(first.bytes)
      #expect(afterSummary.version == beforeSummary.version)
      #expect(after.aux.map { "\($0)=\($1)" } == before.aux.map { "\($0)=\($1)" })
      #expect(after.functions == before.functions)
      let same = after.keys.map(Self.canonical) == records
      #expect(same, "\(mode): the records differ")
      let changes = zip(before.keys, after.keys).filter { $0.encoding != $1.encoding }.map {
        EncodingChange(key: $0.keyHex, type: $0.type, from: $0.encoding, to: $1.encoding)
      }
      let unexpected = changes.filter { !allowed($0) }.map(\.description)
      #expect(unexpected.isEmpty, "\(mode): unexpected encoding changes: \(unexpected)")

      let second = try WriterOutput.rewrite(first.bytes, options)
      #expect(second.bytes == first.bytes, "\(mode): a rewrite of the rewrite differs")
    }
  }

  /// The profiles also rewritten by decoding and encoding every value. `lfu`, `lru` and
  /// `nocompress` hold the values of `default` (less its 1 MiB string), with IDLE, FREQ or
  /// no LZF; they are copied only, which keeps the suite fast (the property tests encode
  /// eviction data and uncompressed strings for every format).
  static let reencodedProfiles: Set<String> = ["default", "compact-off", "empty", "keymeta"]

  /// A value whose encoding a rewrite changed.
  struct EncodingChange: CustomStringConvertible {
    var key: String
    var type: String
    var from: String
    var to: String
    /// `TYPE FROM->TO`.
    var change: String { "\(type) \(from)->\(to)" }
    var description: String { "\(Self.text(ofHex: key)): \(change)" }

    /// The text whose UTF-8 bytes `hex` spells (lossy).
    static func text(ofHex hex: String) -> String {
      let digits = Array(hex.utf8)
      let bytes = stride(from: 0, to: digits.count - 1, by: 2).compactMap {
        UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Which encoding changes a rewrite of `fixture` in its own version may make; every other
  /// change fails. The writer gives each value the encoding a server of the version builds
  /// with its default configuration, so a value changes only where the fixture holds it
  /// otherwise:
  ///
  /// - `compact-off` was written with every compact encoding turned off (hashes, sets and
  ///   sorted sets in hash tables and skip lists, lists in 4-entry nodes). Small values
  ///   become listpacks, ziplists, intsets or listpackex hashes, and lists that fit one node
  ///   become listpacks, as a server with the default configuration converts them on load.
  /// - `valkey-9.1.2`: `hfe:all-persisted`, a hash whose every field TTL was removed with
  ///   `HPERSIST`, which Valkey still keeps as a hash table; two short fields make it a
  ///   listpack.
  static func expectedEncodingChanges(_ fixture: Fixture) -> (EncodingChange) -> Bool {
    let profile = fixture.rdb.deletingPathExtension().lastPathComponent
    if profile == "compact-off" {
      let compact: Set<String> = [
        "hash hashtable->ziplist", "hash hashtable->listpack", "hash hashtable->listpackex",
        "set hashtable->intset", "set hashtable->listpack", "zset skiplist->ziplist",
        "zset skiplist->listpack", "list quicklist->listpack",
      ]
      return { compact.contains($0.change) }
    }
    if fixture.server == "valkey-9.1.2" {
      return { $0.key == hexText("hfe:all-persisted") && $0.change == "hash hashtable->listpack" }
    }
    return { _ in false }
  }

  /// A record as text that compares with `==`: no encoding, members of sets, sorted sets and
  /// hashes sorted (their order follows the encoding). Built by hand: printing the record
  /// with `Mirror` takes most of a debug run's time.
  static func canonical(_ key: CollectedKey) -> String {
    let elements = key.type == "set" ? key.elements.sorted() : key.elements
    let scores: [String] = key.scores.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1.bitPattern)" }
    let pairs: [String] = key.pairs.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
    let fieldExpiries: [String] = key.fieldExpiries.sorted { $0.key < $1.key }.map {
      "\($0.key)@\($0.value)"
    }
    var parts: [String] = [String(key.database), key.keyHex, key.type]
    parts.append(key.expiresAt.map(String.init) ?? "-")
    parts.append(key.idle.map(String.init) ?? "-")
    parts.append(key.frequency.map(String.init) ?? "-")
    parts.append(key.string ?? "-")
    parts.append(elements.joined(separator: ","))
    parts.append(scores.joined(separator: ","))
    parts.append(pairs.joined(separator: ","))
    parts.append(fieldExpiries.joined(separator: ","))
    parts.append(key.module?.description ?? "-")
    parts.append("\(key.keyMetadata)")
    if let stream = key.stream { parts.append(Self.canonical(stream)) }
    if let vectorSet = key.vectorSet { parts.append("\(vectorSet.info) \(vectorSet.elements)") }
    return parts.joined(separator: "|")
  }

  /// A stream as text: entries, metadata, groups with pending entries and consumers, IDMP.
  static func canonical(_ stream: CollectedStream) -> String {
    var parts = stream.entries.map { id, fields in
      id + ":" + fields.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
    }
    if let metadata = stream.metadata {
      parts.append(
        "\(metadata.length) \(metadata.lastID) \(metadata.firstID.map(\.description) ?? "-") "
          + "\(metadata.maxDeletedID.map(\.description) ?? "-") "
          + "\(metadata.entriesAdded.map(String.init) ?? "-") \(metadata.groupCount)")
    }
    for group in stream.groups {
      parts.append(
        "\(group.nameHex) \(group.info.lastDeliveredID) "
          + "\(group.info.entriesRead.map(String.init) ?? "-") \(group.info.pendingCount) "
          + group.pending.map { "\($0.0)/\($0.1)/\($0.2)" }.joined(separator: ",") + " "
          + group.consumers.map { "\($0.nameHex):\($0.pending.map(\.description))" }
          .joined(separator: ","))
    }
    if let idempotency = stream.idempotency {
      let producers: [String] = idempotency.producers.map { producer in
        let entries: [String] = producer.entries.map { "\($0.iidHex)@\($0.id)" }
        return producer.pidHex + ":" + entries.joined(separator: ",")
      }
      let totals = idempotency.totals.map { "\($0.added)/\($0.duplicates)" } ?? "-"
      parts.append("\(idempotency.settings) \(producers) \(totals)")
    }
    return parts.joined(separator: ";")
  }
}
