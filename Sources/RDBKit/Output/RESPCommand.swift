/// Builds Redis protocol commands (`*N` arrays of `$len` bulk strings) into an output buffer.
///
/// The arguments are gathered in a buffer of their own, reused from command to command, and
/// the command is framed once its argument count is known, so variadic commands (RPUSH, SADD,
/// ZADD, HSET, XADD) can be written in batches. Building a command allocates nothing once the
/// buffer has grown to the largest one.
struct RESPCommand {
  private let arguments = OutputBuffer()
  private(set) var argumentCount = 0

  /// Starts a command.
  mutating func begin(_ name: StaticString) {
    arguments.truncate(to: 0)
    argumentCount = 0
    add(name)
  }

  /// Starts a command with its key.
  mutating func begin(_ name: StaticString, key: [UInt8]) {
    begin(name)
    add(key)
  }

  mutating func add(_ text: StaticString) {
    unsafe add(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func add(_ bytes: [UInt8]) {
    unsafe bytes.withUnsafeBytes { unsafe add($0) }
  }

  mutating func add(_ text: String) {
    var text = text
    text.withUTF8 { unsafe add(UnsafeRawBufferPointer($0)) }
  }

  mutating func add(integer value: Int64) {
    arguments.append(UInt8(ascii: "$"))
    arguments.append(integer: Int64(IntegerText.length(of: value)))
    arguments.append("\r\n")
    arguments.append(integer: value)
    arguments.append("\r\n")
    argumentCount &+= 1
  }

  @unsafe mutating func add(_ bytes: UnsafeRawBufferPointer) {
    arguments.append(UInt8(ascii: "$"))
    arguments.append(integer: Int64(bytes.count))
    arguments.append("\r\n")
    unsafe arguments.append(bytes)
    arguments.append("\r\n")
    argumentCount &+= 1
  }

  mutating func add(_ span: RawSpan) {
    unsafe span.withUnsafeBytes { unsafe add($0) }
  }

  /// Frames the gathered arguments as one command and appends it to `output`.
  func write(to output: OutputBuffer) {
    output.append(UInt8(ascii: "*"))
    output.append(integer: Int64(argumentCount))
    output.append("\r\n")
    output.append(arguments)
  }
}
