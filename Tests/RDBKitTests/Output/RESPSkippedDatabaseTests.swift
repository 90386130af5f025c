import Foundation
import Testing

@testable import RDBKit

/// A database whose keys are all left out of the RESP output (a module value RESP cannot
/// write) is not selected: the output names only the databases it writes keys into.
@Suite struct RESPSkippedDatabaseTests {
  @Test func aDatabaseOfSkippedValuesIsNotSelected() throws {
    var image = RDBImageBuilder(version: 9)
    image.byte(0xFE)
    image.length(0)
    image.key(type: 0, "kept")
    image.string("v")
    image.byte(0xFE)
    image.length(5)
    image.key(type: 7, "module-only")
    image.length(ModuleTests.reJSON)
    image.raw([2, 0x05, 0])  // one UINT, then the module's EOF
    let output = OutputBuffer()
    var writer = RESPWriter(output: output)
    try RDBParser().parse(image.finished(), into: &writer)
    try writer.finish()
    let text = String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
    #expect(writer.skippedModuleValues == 1)
    #expect(text.contains("$6\r\nSELECT\r\n$1\r\n0\r\n"), "\(text.debugDescription)")
    #expect(!text.contains("$6\r\nSELECT\r\n$1\r\n5\r\n"), "\(text.debugDescription)")
  }
}
