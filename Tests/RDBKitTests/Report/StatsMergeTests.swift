import Foundation
import RDBKit
import Testing

/// `stats --merge` of per-file `stats --json` documents equals `stats --json` of those files
/// read in one run, on the fixtures and on an export written by a real 3-node cluster, whose
/// nodes' own `DBSIZE` and `CLUSTER COUNTKEYSINSLOT` the per-file and per-slot figures match.
@Suite struct StatsMergeTests {
  static func directory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-merge-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// `rdbtool arguments…`, which must succeed; its standard output.
  static func run(_ arguments: [String]) throws -> String {
    let result = try RDBToolBinary.run(arguments)
    #expect(result.status == 0, "rdbtool \(arguments.joined(separator: " ")): \(result.stderr)")
    return result.stdout
  }

  /// Checks that the per-file documents, merged (also in two steps), equal the one-run one.
  static func expectMergeEqualsOneRun(_ files: [String], extra: [String] = []) throws {
    let directory = try directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let whole = try run(["stats", "--json"] + extra + files)
    var parts: [String] = []
    for (index, file) in files.enumerated() {
      let part = directory.appendingPathComponent("part-\(index).json")
      _ = try run(["stats", "--json", "-o", part.path] + extra + [file])
      parts.append(part.path)
    }
    let merged = try run(["stats", "--merge", "--json"] + parts)
    #expect(merged == whole)
    // Merging merged documents gives the same again.
    let half = parts.count / 2
    let first = directory.appendingPathComponent("first.json").path
    _ = try run(["stats", "--merge", "--json", "-o", first] + parts.prefix(half))
    let second = directory.appendingPathComponent("second.json").path
    _ = try run(["stats", "--merge", "--json", "-o", second] + parts.dropFirst(half))
    #expect(try run(["stats", "--merge", "--json", first, second]) == whole)
    // The text tables of the merge are those of the one run.
    #expect(try run(["stats", "--merge"] + parts) == (try run(["stats"] + extra + files)))
  }

  @Test func everyServersDefaultFixtureMerged() throws {
    let files = Fixture.all.filter { $0.rdb.lastPathComponent == "default.rdb" }.map(\.rdb.path)
    #expect(files.count >= 12, "testdata/fixtures is missing files")
    try Self.expectMergeEqualsOneRun(files)
    try Self.expectMergeEqualsOneRun(
      Array(files.prefix(4)), extra: ["--depth", "2", "--tree-depth", "2", "--top", "2"])
  }

  @Test func clusterExportMergedMatchesTheNodes() throws {
    let export = try ClusterExport.shared.get()
    let paths = export.files.map(\.path)
    try Self.expectMergeEqualsOneRun(paths)
    let summary = try JSONDecoder().decode(
      StatsSummary.self, from: Data(try Self.run(["stats", "--json"] + paths).utf8))
    #expect(summary.formatVersion == StatsSummary.currentFormatVersion)
    #expect(summary.files.map(\.keys) == export.keysPerFile)
    var slots: [Int: Int] = [:]
    for file in summary.files {
      for entry in file.slots { slots[entry[0], default: 0] += entry[1] }
    }
    #expect(slots == export.keysPerSlot)
    #expect(summary.total.total.keys == export.keysPerFile.reduce(0, +))
    #expect(summary.total.tree.keys == summary.total.total.keys)
    // Each file holds only slots of one node: no slot appears in two files.
    let owners = summary.files.flatMap { $0.slots.map { $0[0] } }
    #expect(Set(owners).count == owners.count)
  }

  /// Documents made with other options, of another format version, or not JSON: exit 1 with
  /// a line that says why.
  @Test func unmergeableDocumentsAreRefused() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fixture = try #require(Fixture.all.first { $0.rdb.lastPathComponent == "default.rdb" })
    let a = directory.appendingPathComponent("a.json").path
    let b = directory.appendingPathComponent("b.json").path
    _ = try Self.run(["stats", "--json", "-o", a, fixture.rdb.path])
    _ = try Self.run(["stats", "--json", "--depth", "2", "-o", b, fixture.rdb.path])
    let settings = try RDBToolBinary.run(["stats", "--merge", "--json", a, b])
    #expect(settings.status == 1)
    #expect(settings.stderr.contains("different depth"), "\(settings.stderr)")
    let old = directory.appendingPathComponent("old.json")
    let text = try String(contentsOfFile: a, encoding: .utf8)
    try text.replacingOccurrences(of: "\"format_version\":2", with: "\"format_version\":1")
      .write(to: old, atomically: true, encoding: .utf8)
    let version = try RDBToolBinary.run(["stats", "--merge", "--json", a, old.path])
    #expect(version.status == 1)
    #expect(version.stderr.contains("format_version 1"), "\(version.stderr)")
    let notJSON = try RDBToolBinary.run(["stats", "--merge", fixture.rdb.path])
    #expect(notJSON.status == 1)
    #expect(notJSON.stderr.contains("not a stats --json document"), "\(notJSON.stderr)")
  }

  /// A document that is missing, unreadable as a file, or a directory: exit 1 with the one-line
  /// reason `stats` gives for an RDB input, and the other documents still merged.
  @Test func missingDocumentIsOneLine() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fixture = try #require(Fixture.all.first { $0.rdb.lastPathComponent == "default.rdb" })
    let a = directory.appendingPathComponent("a.json").path
    _ = try Self.run(["stats", "--json", "-o", a, fixture.rdb.path])
    let missing = directory.appendingPathComponent("missing.json").path
    let result = try RDBToolBinary.run(["stats", "--merge", "--json", a, missing])
    #expect(result.status == 1)
    #expect(result.stderr == "rdbtool: \(missing): cannot open: no such file\n")
    #expect(result.stdout.contains("\"format_version\":2"), "the readable document is merged")
    let folder = try RDBToolBinary.run(["stats", "--merge", directory.path])
    #expect(folder.status == 1)
    #expect(
      folder.stderr
        == "rdbtool: \(directory.path): is a directory: give the stats --json documents in it\n")
  }

  /// Grouping, memory-model and filter options cannot change finished documents: with
  /// `stats --merge` or `report --from-stats` they are usage errors (exit 2) naming them.
  @Test(arguments: [
    ["stats", "--merge", "--db", "0", "a.json"],
    ["stats", "--merge", "--tree-depth", "2", "--model", "7.0", "a.json"],
    ["report", "--from-stats", "a.json", "--separator", "/", "-o", "p.html"],
  ])
  func readingOptionsAreRefusedWithDocuments(_ arguments: [String]) throws {
    let result = try RDBToolBinary.run(arguments)
    #expect(result.status == 2, "\(result.stderr)")
    let flag = arguments[1]
    #expect(result.stderr.contains("cannot apply to \(flag)"), "\(result.stderr)")
    let named = arguments.filter { $0.hasPrefix("--") && $0 != flag }
    for option in named where option != "--db" {
      #expect(result.stderr.contains(option), "\(result.stderr)")
    }
    #expect(result.stdout.isEmpty)
  }
}
