import RDBKit
import SystemPackage

/// The fuzz target: every output writer on what parses. An input the parser accepts (into the
/// handler `rdbtool verify` uses) is written as JSON lines and as a JSON document (each in the
/// byte-string style the input's first byte picks), CSV, RESP (for the newest servers and for
/// Redis 6.2), the memory report (CSV and JSON lines) and the statistics `rdbtool stats`
/// gathers, to /dev/null. A writer must never crash, hang, allocate without bound, or fail on
/// an input the parser accepted: such a failure stops the run as a crash.
func fuzzWriters(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = unsafe Array(UnsafeBufferPointer(start: data, count: size))
  var count = KeyCountAnalyzer()
  guard (try? RDBParser().parse(bytes, into: &count)) != nil else { return 0 }
  let styles = ByteStringStyle.allCases
  let style = styles[Int(bytes.first ?? 0) % styles.count]
  let output = OutputBuffer(descriptor: Sink.devNull)
  Sink.run("JSON lines", bytes, JSONLinesWriter(output: output, style: style)) {
    try $0.finish()
  }
  Sink.run("JSON", bytes, JSONDocumentWriter(output: output, style: style)) { try $0.finish() }
  Sink.run("CSV", bytes, CSVWriter(output: output)) { try $0.finish() }
  Sink.run("RESP", bytes, RESPWriter(output: output)) { try $0.finish() }
  Sink.run("RESP for 6.2", bytes, RESPWriter(output: output, target: Sink.redis62)) {
    try $0.finish()
  }
  for format in MemoryReportWriter.Format.allCases {
    let writer = MemoryReportWriter(output: output, format: format, style: style)
    Sink.run("memory \(format)", bytes, MemoryEstimator(consumer: writer)) {
      try $0.consumer.finish()
    }
  }
  Sink.run("stats", bytes, MemoryEstimator(consumer: StatsAnalyzer())) { _ in }
  return 0
}

enum Sink {
  static let devNull: FileDescriptor = {
    do {
      return try FileDescriptor.open("/dev/null", .writeOnly)
    } catch {
      fatalError("cannot open /dev/null: \(error)")
    }
  }()

  static let redis62: RESPTarget = {
    guard let engine = TargetEngine.named("redis-6.2") else { fatalError("no redis-6.2 target") }
    return RESPTarget(engine)
  }()

  /// Parses `bytes` into `handler`, then runs `finish`; an error on an accepted input stops
  /// the run.
  static func run<H: RDBHandler>(
    _ name: String, _ bytes: [UInt8], _ handler: H, finish: (inout H) throws -> Void
  ) {
    var handler = handler
    do {
      try RDBParser().parse(bytes, into: &handler)
      try finish(&handler)
    } catch {
      fatalError("the \(name) writer failed on an input the parser accepts: \(error)")
    }
  }
}
