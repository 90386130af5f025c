import FuzzDriver

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(
  _ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32
) -> Int {
  unsafe StructureMutator.mutate(data, size: size, maxSize: maxSize, seed: seed)
}

@_cdecl("LLVMFuzzerCustomCrossOver")
public func customCrossOver(
  _ first: UnsafePointer<UInt8>, _ firstSize: Int, _ second: UnsafePointer<UInt8>,
  _ secondSize: Int, _ out: UnsafeMutablePointer<UInt8>, _ maxSize: Int, _ seed: UInt32
) -> Int {
  unsafe StructureMutator.crossOver(
    Array(UnsafeBufferPointer(start: first, count: firstSize)),
    Array(UnsafeBufferPointer(start: second, count: secondSize)), into: out, maxSize: maxSize,
    seed: seed)
}

if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "--write-seeds" {
  SeedCorpus.write(
    to: CommandLine.arguments[2], fixtures: Array(CommandLine.arguments.dropFirst(3)))
} else {
  runFuzzer { data, size in unsafe fuzzDecoders(data, size) }
}
