/// Builds Redis protocol commands (`*N` arrays of `$len` bulk strings) into an output buffer.
///
/// Variadic commands (RPUSH, SADD, ZADD, HSET, XADD) are written in batches: arguments are
/// gathered apart and the command is framed once its argument count is known.
struct RESPCommand {
  private var arguments: [UInt8] = []
  private(set) var argumentCount = 0

  /// Starts a command with its fixed leading arguments.
  mutating func begin(_ name: StaticString, key: [UInt8]) {
    arguments.removeAll(keepingCapacity: true)
    argumentCount = 0
    add(name)
    add(key)
  }

  mutating func add(_ text: StaticString) {
    unsafe add(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func add(_ bytes: [UInt8]) {
    unsafe bytes.withUnsafeBytes { unsafe add($0) }
  }

  mutating func add(_ text: String) {
    add(Array(text.utf8))
  }

  mutating func add(integer: Int64) {
    add(String(integer))
  }

  @unsafe mutating func add(_ bytes: UnsafeRawBufferPointer) {
    arguments.append(UInt8(ascii: "$"))
    arguments.append(contentsOf: String(bytes.count).utf8)
    arguments.append(contentsOf: [13, 10])
    unsafe arguments.append(contentsOf: bytes)
    arguments.append(contentsOf: [13, 10])
    argumentCount += 1
  }

  mutating func add(_ span: RawSpan) {
    unsafe span.withUnsafeBytes { unsafe add($0) }
  }

  /// Frames the gathered arguments as one command and appends it to `output`.
  func write(to output: OutputBuffer) {
    output.append(UInt8(ascii: "*"))
    output.append(integer: Int64(argumentCount))
    output.append("\r\n")
    output.append(contentsOf: arguments)
  }

  /// Writes a whole command at once.
  static func write(_ parts: [[UInt8]], to output: OutputBuffer) {
    var command = RESPCommand()
    for part in parts { command.add(part) }
    command.write(to: output)
  }
}
