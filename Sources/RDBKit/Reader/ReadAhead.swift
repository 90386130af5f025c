import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor that cannot be mapped (a pipe, a socket, a terminal) on a thread of
/// its own, into a few chunks the parser takes in turn: the second core makes the `read` calls
/// (the kernel's copy out of the pipe) while the first parses.
///
/// Each chunk has ``headroom`` bytes of room in front of its data, where ``StreamRefill`` puts
/// the unread end of the chunk before it, so that a record crossing from one chunk to the next
/// is read in place after a short copy. The thread fills a chunk until it is full, the input
/// ends or no more bytes are waiting (a slow writer's bytes are parsed as they arrive), and
/// waits while all ``chunkCount`` are filled or in use: memory stays a few MiB however far
/// ahead the writer is.
///
/// The thread also computes the CRC-64 of the input, over each read's bytes while they are
/// still in its cache, and records it every ``checkpointBytes`` of a chunk
/// (``Chunk/checksum(through:)``): the parser's CRC of a stream is then a lookup and at most
/// that many bytes, not a second pass over everything it reads.
///
/// The descriptor stays the caller's: ``stop()`` wakes a thread waiting for input (it polls the
/// descriptor beside a pipe of its own before each read) and returns once it has stopped, so
/// nothing reads the descriptor after it. Every field but the immutable ones is guarded by
/// `condition`, which is why the class can be `@unchecked Sendable`.
@safe final class ReadAhead: @unchecked Sendable {
  /// The bytes a chunk holds.
  static let chunkBytes = 1 << 20
  /// The room in front of a chunk's data for the end of the chunk before it.
  static let headroom = 256 << 10
  /// How many chunks there are.
  static let chunkCount = 4
  /// How often in a chunk the CRC of the input so far is recorded.
  static let checkpointBytes = 16 << 10
  /// The CRCs recorded for a chunk: one at its start and one every ``checkpointBytes``.
  private static let checkpointsPerChunk = chunkBytes / checkpointBytes &+ 1

  /// A filled chunk: its number (for ``recycle(_:)``), where its data starts and ends, and
  /// the CRC of the input before each of its checkpoints.
  @safe struct Chunk {
    let number: Int
    let data: UnsafeMutableRawPointer
    let count: Int
    /// The CRC-64 of the input before `data + n * checkpointBytes`, for every such place up
    /// to `count`.
    let checkpoints: UnsafePointer<UInt64>

    /// The CRC-64 of the input before `data + offset` (`0...count`): the checkpoint at or
    /// before it, continued over fewer than ``checkpointBytes`` bytes.
    func checksum(through offset: Int) -> UInt64 {
      let mark = offset / ReadAhead.checkpointBytes
      let start = mark &* ReadAhead.checkpointBytes
      return unsafe CRC64.update(
        checkpoints[mark], UnsafeRawBufferPointer(start: data + start, count: offset &- start))
    }
  }

  private let descriptor: Int32
  /// The pipe ``stop()`` writes to, to wake the thread from `poll`.
  private let wake: (read: Int32, write: Int32)
  private let storage: UnsafeMutableRawPointer
  private let checkpointStorage: UnsafeMutablePointer<UInt64>
  private let condition = NSCondition()
  /// Chunks the thread may fill.
  private var free: [Int]
  /// Filled chunks in input order, with their byte counts.
  private var ready: [(number: Int, count: Int)] = []
  private var ended = false
  /// The `errno` of a failed read, and how many bytes were read before it.
  private var failure: (code: Int32, offset: Int)?
  private var stopped = false
  private var finished = false

  /// Starts reading `descriptor` (a pipe's buffer is enlarged, see ``PipeCapacity``); nil when
  /// no thread can be started.
  init?(descriptor: FileDescriptor) {
    var ends: [Int32] = [0, 0]
    guard unsafe pipe(&ends) == 0 else { return nil }
    self.descriptor = descriptor.rawValue
    wake = (ends[0], ends[1])
    let stride = Self.headroom &+ Self.chunkBytes
    unsafe storage = .allocate(byteCount: stride &* Self.chunkCount, alignment: 64)
    unsafe checkpointStorage = .allocate(capacity: Self.checkpointsPerChunk &* Self.chunkCount)
    free = Array((0..<Self.chunkCount).reversed())
    PipeCapacity.enlarge(descriptor)
    guard DetachedThread.start({ [self] in run() }) else {
      finished = true
      return nil
    }
  }

  deinit {
    stop()
    close(wake.read)
    close(wake.write)
    unsafe storage.deallocate()
    unsafe checkpointStorage.deallocate()
  }

  /// The first bytes of the input, up to `count`, left unread (fewer only for a shorter input
  /// or a failed read, which the next ``next()`` reports).
  func peek(upTo count: Int) -> [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    while ready.isEmpty, !ended { condition.wait() }
    guard let first = ready.first else { return [] }
    let bytes = unsafe UnsafeRawBufferPointer(start: data(of: first.number), count: first.count)
    return unsafe Array(bytes.prefix(count))
  }

  /// The next filled chunk, waiting for it; nil at the end of the input. The chunk is the
  /// caller's until it passes it to ``recycle(_:)``.
  /// - Throws: ``RDBError/Kind/readFailed(_:)`` at the offset of the failed read.
  func next() throws(RDBError) -> Chunk? {
    condition.lock()
    defer { condition.unlock() }
    while ready.isEmpty, !ended { condition.wait() }
    guard ready.isEmpty else {
      let (number, count) = ready.removeFirst()
      return unsafe chunk(number, count: count)
    }
    if let failure {
      throw RDBError(.readFailed("\(Errno(rawValue: failure.code))"), at: failure.offset)
    }
    return nil
  }

  /// Gives a chunk from ``next()`` back to be filled again.
  func recycle(_ number: Int) {
    condition.lock()
    free.append(number)
    condition.signal()
    condition.unlock()
  }

  /// Stops the thread and waits until it no longer reads the descriptor.
  func stop() {
    condition.lock()
    defer { condition.unlock() }
    guard !finished else { return }
    if !stopped {
      stopped = true
      var byte: UInt8 = 0
      _ = unsafe write(wake.write, &byte, 1)
      condition.broadcast()
    }
    while !finished { condition.wait() }
  }

  /// Where chunk `number`'s data starts (its headroom is the ``headroom`` bytes before).
  private func data(of number: Int) -> UnsafeMutableRawPointer {
    unsafe storage + (number &* (Self.headroom &+ Self.chunkBytes) &+ Self.headroom)
  }

  /// Where chunk `number`'s checkpoints are.
  private func checkpoints(of number: Int) -> UnsafeMutablePointer<UInt64> {
    unsafe checkpointStorage + number &* Self.checkpointsPerChunk
  }

  /// Chunk `number`, filled with `count` bytes.
  private func chunk(_ number: Int, count: Int) -> Chunk {
    unsafe Chunk(
      number: number, data: data(of: number), count: count,
      checkpoints: UnsafePointer(checkpoints(of: number)))
  }

  /// The thread: fills free chunks in turn until the input ends, a read fails or ``stop()``.
  private func run() {
    var total = 0
    var crc: UInt64 = 0
    condition.lock()
    while !stopped {
      guard let number = free.popLast() else {
        condition.wait()
        continue
      }
      condition.unlock()
      let (count, end) = unsafe fill(number, crc: &crc)
      condition.lock()
      total &+= count
      if count > 0 { ready.append((number, count)) } else { free.append(number) }
      switch end {
      case .more: break
      case .input: ended = true
      case .failed(let code):
        failure = (code, total)
        ended = true
      case .stopped: stopped = true
      }
      condition.broadcast()
      if ended { break }
    }
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// Why ``fill(_:)`` returned.
  private enum FillEnd {
    case more
    case input
    case failed(Int32)
    case stopped
  }

  /// Reads into chunk `number`'s data until it is full, no more bytes are waiting (so that a
  /// slow writer's bytes reach the parser as they come), the input ends, a read fails or
  /// ``stop()`` wakes the thread; continues `crc`, the CRC-64 of the input before the chunk,
  /// over each read's bytes and records the chunk's checkpoints.
  @unsafe private func fill(_ number: Int, crc: inout UInt64) -> (Int, FillEnd) {
    let data = unsafe data(of: number)
    let checkpoints = unsafe checkpoints(of: number)
    unsafe checkpoints[0] = crc
    var count = 0
    var descriptors = [
      pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
    ]
    while count < Self.chunkBytes {
      let polled = unsafe poll(&descriptors, 2, count == 0 ? -1 : 0)
      if polled < 0 {
        if errno == EINTR { continue }
        return (count, .failed(errno))
      }
      if polled == 0 { return (count, .more) }
      if descriptors[1].revents != 0 { return (count, .stopped) }
      let got = unsafe read(descriptor, data + count, Self.chunkBytes &- count)
      if got > 0 {
        unsafe sum(data, from: count, to: count &+ got, into: checkpoints, crc: &crc)
        count &+= got
      } else if got == 0 {
        return (count, .input)
      } else if errno != EINTR, errno != EAGAIN {
        return (count, .failed(errno))
      }
    }
    return (count, .more)
  }

  /// Continues `crc` over `data[from..<to]`, recording it at each multiple of
  /// ``checkpointBytes`` after `from` up to `to`.
  @unsafe private func sum(
    _ data: UnsafeMutableRawPointer, from: Int, to: Int,
    into checkpoints: UnsafeMutablePointer<UInt64>, crc: inout UInt64
  ) {
    var at = from
    while at < to {
      let next = (at / Self.checkpointBytes &+ 1) &* Self.checkpointBytes
      let stop = min(to, next)
      crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(start: data + at, count: stop &- at))
      if stop == next { unsafe checkpoints[next / Self.checkpointBytes] = crc }
      at = stop
    }
  }
}
