import RDBKit

#if canImport(Glibc)
import Glibc
#endif

/// `FuzzDecoders --write-seeds DIR FIXTURE...`: writes the seed inputs of the target to DIR,
/// one file each (named by a hash of its bytes): every packed value and LZF string of the
/// fixtures (``FixtureBlobs``) and the hand-built blobs of ``HandBuiltSeeds``, each under
/// 16 KiB.
enum SeedCorpus {
  static func write(to directory: String, fixtures: [String]) {
    var seeds = Set(HandBuiltSeeds.all)
    for path in fixtures {
      guard let bytes = read(path) else { fail("cannot read \(path)") }
      seeds.formUnion(FixtureBlobs.seeds(in: bytes))
    }
    var written = 0
    for seed in seeds where seed.count <= 16384 {
      let name = String(
        seed.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 },
        radix: 16)
      guard let file = fopen("\(directory)/\(name)", "wb") else {
        fail("cannot write to \(directory)")
      }
      _ = unsafe seed.withUnsafeBytes { unsafe fwrite($0.baseAddress, 1, $0.count, file) }
      fclose(file)
      written += 1
    }
    print("FuzzDecoders: \(written) seeds written to \(directory)")
    exit(0)
  }

  private static func fail(_ message: String) -> Never {
    let line = "FuzzDecoders: \(message)\n"
    _ = unsafe line.withCString { unsafe Glibc.write(2, $0, strlen($0)) }
    exit(2)
  }

  private static func read(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = unsafe chunk.withUnsafeMutableBytes {
        unsafe fread($0.baseAddress, 1, $0.count, file)
      }
      guard count > 0 else { break }
      bytes += chunk.prefix(count)
    }
    return bytes
  }
}
