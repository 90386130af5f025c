import RDBKit
import SystemPackage

/// Standard input when it is a terminal. It reads as any descriptor does, except that a read
/// that fails once a signal has started the cleanup (``Interrupts``) leaves the process to that
/// cleanup instead of reporting the failure: a read of the terminal from the background fails
/// with EIO once the handler has ignored SIGTTIN, and that is not the input's fault.
struct TerminalInput: ByteInput {
  private var input = FileDescriptorInput(descriptor: .standardInput)

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    do {
      return try unsafe input.read(into: buffer)
    } catch {
      if Interrupts.isInterrupted { Interrupts.waitForExit() }
      throw error
    }
  }
}
