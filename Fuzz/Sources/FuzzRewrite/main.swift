#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver (in the fuzzer runtime `-sanitize=fuzzer` links), called from this
/// program's own `main`: SwiftPM names an executable's entry point itself, so libFuzzer's
/// `main` cannot be the program's.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(unsafe runFuzzerDriver(&argc, &argv) { data, size in unsafe fuzzRewrite(data, size) })
