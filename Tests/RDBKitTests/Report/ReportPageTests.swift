import Foundation
import RDBKit
import Testing

/// `rdbtool report` opened in headless Chromium with the network pointed at a closed port:
/// the page draws without a console message (a CSP violation, an exception or an error all
/// log one), asks for nothing outside itself, and the numbers in its DOM are those of
/// `stats --json` on the same input. Screenshots are left in the temporary directory and
/// their paths printed.
@Suite struct ReportPageTests {
  /// Where screenshots are kept for a person to look at (not removed).
  static let artifacts: URL = {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbtool-report-screenshots")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }()

  /// Writes the report of `arguments` (inputs and options) to `name`.html; returns it.
  static func report(_ arguments: [String], name: String) throws -> URL {
    let page = artifacts.appendingPathComponent(name + ".html")
    let result = try RDBToolBinary.run(["report", "-o", page.path] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return page
  }

  static func summary(_ arguments: [String]) throws -> StatsSummary {
    let result = try RDBToolBinary.run(["stats", "--json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONDecoder().decode(StatsSummary.self, from: Data(result.stdout.utf8))
  }

  /// Every element's attributes that has a `data-id`, by that id.
  static func dataElements(_ dom: String) -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    for tag in dom.matches(of: /<[a-z0-9]+ [^>]*data-id="[^"]*"[^>]*>/) {
      var attributes: [String: String] = [:]
      for match in String(tag.output).matches(of: /([a-z][a-z-]*)="([^"]*)"/) {
        attributes[String(match.1)] = unescape(String(match.2))
      }
      if let id = attributes["data-id"] { result[id] = attributes }
    }
    return result
  }

  static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(
        of: "&amp;", with: "&")
  }

  /// Opens `page`, checks it drew cleanly and requested nothing, takes a screenshot, and
  /// returns the DOM's data elements.
  static func open(_ page: URL) throws -> (dom: String, elements: [String: [String: String]]) {
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.utf8.count < 4_000_000, "\(page.lastPathComponent): \(html.utf8.count) bytes")
    // The one URL in the page is the SVG namespace name, which is never fetched.
    let urls = html.matches(of: /https?:\/\/[^"'\s)]*/).map { String($0.output) }
    #expect(Set(urls).subtracting(["http://www.w3.org/2000/svg"]).isEmpty, "\(Set(urls))")
    #expect(html.contains("content=\"default-src 'none';"))
    let shot = page.deletingPathExtension().appendingPathExtension("png")
    let drawn = try HeadlessChromium.run(page, ["--screenshot=\(shot.path)"])
    #expect(drawn.console.isEmpty, "\(drawn.console)")
    print("report screenshot: \(shot.path)")
    let output = try HeadlessChromium.run(page, ["--dump-dom"])
    #expect(output.console.isEmpty, "\(output.console)")
    let body = try #require(output.stdout.firstMatch(of: /<body[^>]*>/)).output
    #expect(body.contains("data-rendered=\"ok\""), "\(body)")
    #expect(!body.contains("data-errors"), "\(body)")
    return (output.stdout, dataElements(output.stdout))
  }

  /// The DOM's figures equal the summary's: totals, types, encodings, TTL classes, files,
  /// first-level prefixes and the biggest keys in order.
  static func expectNumbers(
    _ opened: (dom: String, elements: [String: [String: String]]),
    equal summary: StatsSummary
  ) throws {
    let elements = opened.elements
    let total = summary.total
    #expect(elements["total-keys"]?["data-num"] == String(total.total.keys))
    #expect(elements["total-bytes"]?["data-num"] == String(total.total.bytes))
    func expectTallies(_ kind: String, _ tallies: [String: StatsAnalyzer.Tally]) {
      for (name, tally) in tallies {
        let row = elements["\(kind):\(name)"]
        #expect(row?["data-keys"] == String(tally.keys), "\(kind) \(name)")
        #expect(row?["data-bytes"] == String(tally.bytes), "\(kind) \(name)")
      }
      #expect(elements.keys.filter { $0.hasPrefix(kind + ":") }.count == tallies.count, "\(kind)")
    }
    expectTallies("type", total.types)
    expectTallies("encoding", total.encodings)
    expectTallies("database", total.databases)
    expectTallies("ttl", total.ttl)
    for (index, file) in summary.files.enumerated() {
      #expect(elements["file:\(index)"]?["data-keys"] == String(file.keys), "\(file.name)")
      #expect(elements["file:\(index)"]?["data-bytes"] == String(file.bytes), "\(file.name)")
    }
    let firstLevel = (total.tree.children ?? []).prefix(50)
    for node in firstLevel {
      let row = elements["prefix1:\(node.name.isEmpty ? "(empty)" : node.name)"]
      #expect(row?["data-keys"] == String(node.keys), "prefix \(node.name)")
      #expect(row?["data-bytes"] == String(node.bytes), "prefix \(node.name)")
    }
    #expect(elements.keys.filter { $0.hasPrefix("prefix1:") }.count == firstLevel.count)
    let table = try #require(
      opened.dom.firstMatch(of: /<table id="biggest-keys">.*?<\/table>/.dotMatchesNewlines()))
    let shown = String(table.output).matches(of: /<tr data-bytes="([0-9]+)"/).map {
      Int($0.1) ?? -1
    }
    #expect(Array(shown.prefix(total.topKeys.count)) == total.topKeys.map(\.bytes))
  }

  @Test func smallFixtureReport() throws {
    let fixture = try #require(
      Fixture.all.first { $0.testDescription == "redis-7.4.1/default.rdb" })
    let page = try Self.report([fixture.rdb.path], name: "small-redis-7.4.1")
    try Self.expectNumbers(try Self.open(page), equal: try Self.summary([fixture.rdb.path]))
  }

  @Test func clusterExportReport() throws {
    let export = try ClusterExport.shared.get()
    let paths = export.files.map(\.path)
    let page = try Self.report(
      paths + ["--title", "cluster <export> & co"], name: "cluster-3-shards")
    let opened = try Self.open(page)
    try Self.expectNumbers(opened, equal: try Self.summary(paths))
    // The slot figures are the nodes' own: CLUSTER COUNTKEYSINSLOT summed, DBSIZE per file.
    #expect(
      opened.elements["slots-total"]?["data-keys"]
        == String(export.keysPerSlot.values.reduce(0, +)))
    for (index, keys) in export.keysPerFile.enumerated() {
      #expect(opened.elements["file:\(index)"]?["data-keys"] == String(keys))
    }
    #expect(opened.dom.contains("<h1>cluster &lt;export&gt; &amp; co</h1>"))
  }

  /// The page drawn from merged per-shard documents carries the same data as the page drawn
  /// from the files (the generation time aside).
  @Test func fromStatsDrawsTheSameData() throws {
    let export = try ClusterExport.shared.get()
    let directory = Self.artifacts.appendingPathComponent(
      "from-stats-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var documents: [String] = []
    for (index, file) in export.files.enumerated() {
      let json = directory.appendingPathComponent("\(index).json").path
      #expect(try RDBToolBinary.run(["stats", "--json", "-o", json, file.path]).status == 0)
      documents.append(json)
    }
    let merged = directory.appendingPathComponent("merged.json").path
    #expect(
      try RDBToolBinary.run(["stats", "--merge", "--json", "-o", merged] + documents).status == 0)
    func data(_ arguments: [String]) throws -> String {
      let result = try RDBToolBinary.run(["report", "-o", "-", "--title", "t"] + arguments)
      #expect(result.status == 0, "\(result.stderr)")
      let element = try #require(
        result.stdout.firstMatch(
          of: /<script type="application\/json" id="report-data">(.*?)<\/script>/))
      return String(element.1).replacing(/"generated":"[^"]*"/, with: "")
    }
    let direct = try data(export.files.map(\.path))
    #expect(try data(["--from-stats", merged]) == direct)
    #expect(try data(documents.flatMap { ["--from-stats", $0] }) == direct)
  }

  /// Key names that are markup, script and bytes that are not UTF-8, written by a real
  /// server: the page shows them as text and its script still runs.
  @Test func hostileKeyNamesStayText() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    let names: [[UInt8]] = [
      Array("</script><script>document.title='pwned'</script>:a".utf8),
      Array("<img src=x onerror=alert(1)>:b".utf8), Array("\u{2028}line:c".utf8),
      [0xFF, 0xFE, 0x3C, 0x2F, 0x73, 0x3A, 0x64], Array("quote\"'&amp;:e".utf8),
    ]
    for name in names {
      _ = try client.callBytes([Array("SET".utf8), name, Array("v".utf8)])
    }
    #expect(try client.call("SAVE") == .simple("OK"))
    let page = try Self.report([server.dumpURL.path], name: "hostile-names")
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.components(separatedBy: "</script>").count == 3, "a key closed a script element")
    #expect(!html.contains("<img src=x"))
    let opened = try Self.open(page)
    #expect(!opened.dom.contains("<title>pwned"))
    #expect(opened.dom.contains("&lt;/script&gt;&lt;script&gt;document.title='pwned'"))
    #expect(opened.dom.contains("&lt;img src=x onerror=alert(1)&gt;"))
    try Self.expectNumbers(opened, equal: try Self.summary([server.dumpURL.path]))
  }

  /// Two servers' files with 3,000 top-level prefixes and a unique second level per key:
  /// the tree folds what passes its limits into (other), totals stay exact, and the page
  /// stays small.
  @Test func largeGeneratedExportStaysBounded() throws {
    var files: [String] = []
    var servers: [RedisServer] = []
    defer { servers.forEach { $0.stop() } }
    for shard in 0..<2 {
      let server = try RedisServer()
      servers.append(server)
      let client = try server.client()
      var commands: [[[UInt8]]] = []
      for index in 0..<30_000 {
        let key = "p\((index * 7 + shard) % 3000):\(shard)-\(index):field"
        commands.append(
          ["SET", key, String(repeating: "v", count: index % 200)].map { Array($0.utf8) })
        if commands.count == 5000 {
          _ = try client.pipeline(commands)
          commands.removeAll()
        }
      }
      #expect(try client.call("DBSIZE").integer == 30_000)
      #expect(try client.call("SAVE") == .simple("OK"))
      files.append(server.dumpURL.path)
    }
    let page = try Self.report(files, name: "generated-60k-keys")
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.utf8.count < 1_500_000, "\(html.utf8.count) bytes")
    let summary = try Self.summary(files)
    #expect(summary.total.tree.keys == 60_000)
    #expect(summary.total.tree.children?.contains { $0.other == true } == true)
    try Self.expectNumbers(try Self.open(page), equal: summary)
  }

  /// The checks above can fail: a page with an error and a blocked request logs both.
  @Test func consoleCheckCatchesErrorsAndRequests() throws {
    let page = Self.artifacts.appendingPathComponent("negative-control.html")
    try """
    <html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
    script-src 'unsafe-inline'"></head><body><img src="https://example.com/x.png">\
    <script>missingFunction();</script></body></html>
    """.write(to: page, atomically: true, encoding: .utf8)
    let output = try HeadlessChromium.run(page, ["--dump-dom"])
    #expect(output.console.contains { $0.contains("example.com") })
    #expect(output.console.contains { $0.contains("missingFunction") })
  }
}
