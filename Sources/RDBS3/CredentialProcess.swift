import Foundation
import RDBKit
import Synchronization

/// A profile's `credential_process`: a command whose standard output is a JSON credential
/// document (`{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`).
enum CredentialProcess {
  /// Splits `command` shell-style (quotes and backslashes, no shell), runs it, and parses its
  /// output.
  /// - Throws: `.credentialSourceFailed` when it cannot start, exits non-zero (with the first
  ///   line of its standard error), or prints something else.
  static func run(_ command: String, profile: String) throws(S3Error) -> AWSCredentials {
    func failure(_ why: String) -> S3Error {
      S3Error(.credentialSourceFailed, message: "credential_process of profile '\(profile)' \(why)")
    }
    let arguments = split(command)
    guard let program = arguments.first else { throw failure("is empty") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: resolve(program))
    process.arguments = Array(arguments.dropFirst())
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw failure("could not start '\(program)'")
    }
    // Drain standard error on another thread so neither pipe can fill up and block the child.
    let errorText = Mutex<Data>(Data())
    let drained = DispatchSemaphore(value: 0)
    Thread {
      let data = errors.fileHandleForReading.readDataToEndOfFile()
      errorText.withLock { $0 = data }
      drained.signal()
    }.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    drained.wait()
    guard process.terminationStatus == 0 else {
      let stderr = errorText.withLock { String(decoding: $0, as: UTF8.self) }
      let firstLine = stderr.split(separator: "\n").first.map { String($0.prefix(200)) } ?? ""
      throw failure("exited with status \(process.terminationStatus): \(firstLine)")
    }
    guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      document["Version"] as? Int == 1,
      let key = document["AccessKeyId"] as? String,
      let secret = document["SecretAccessKey"] as? String
    else {
      throw failure("did not print a Version 1 credential document")
    }
    let expiration = (document["Expiration"] as? String).flatMap(AMZTime.parseISO8601)
    if document["Expiration"] != nil, expiration == nil {
      throw failure("printed an Expiration that is not ISO 8601")
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: document["SessionToken"] as? String,
      expiration: expiration)
  }

  /// Shell-style words: whitespace separates; '…' is literal; "…" honours \" \\ \$ \`;
  /// a backslash outside quotes escapes the next character.
  static func split(_ command: String) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in command {
      if escaped {
        if quote == "\"", !"\"\\$`".contains(character) { word.append("\\") }
        word.append(character)
        escaped = false
        inWord = true
        continue
      }
      switch (quote, character) {
      case ("'", "'"), ("\"", "\""): quote = nil
      case ("'", _): word.append(character)
      case (_, "\\"): escaped = true
      case (nil, "'"), (nil, "\""):
        quote = character
        inWord = true
      case (nil, _) where character.isWhitespace:
        if inWord { words.append(word) }
        word = ""
        inWord = false
      default:
        word.append(character)
        inWord = true
      }
    }
    if inWord { words.append(word) }
    return words
  }

  /// `program` itself when it has a slash, else the first executable match on PATH.
  private static func resolve(_ program: String) -> String {
    if program.contains("/") { return program }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return program
  }
}
