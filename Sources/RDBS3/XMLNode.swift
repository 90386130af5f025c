import RDBKit

/// A parsed XML element: just enough XML for S3's small response documents.
///
/// Names and attribute names are kept by their local part (`xsi:type` is stored as `type`),
/// text is entity-decoded, and comments, processing instructions and the XML declaration are
/// skipped. S3 documents use one default namespace, so local names are unambiguous there.
struct XMLNode: Sendable, Equatable {
  /// The element's local name.
  var name: String
  /// Attributes by local name.
  var attributes: [String: String] = [:]
  /// Child elements in document order.
  var children: [XMLNode] = []
  /// The element's own text, concatenated and entity-decoded.
  var text: String = ""

  /// The first child named `name`.
  func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

  /// Every child named `name`.
  func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

  /// The text of the first child named `name`.
  func text(of name: String) -> String? { child(name)?.text }

  /// Parses `bytes` as one XML document and returns its root element, or nil when the
  /// document is not well formed enough to find one.
  static func parse(_ bytes: [UInt8]) -> XMLNode? {
    var reader = XMLReader(scalars: Array(String(decoding: bytes, as: UTF8.self).unicodeScalars))
    return reader.document()
  }
}

/// A recursive-descent reader behind ``XMLNode/parse(_:)``.
private struct XMLReader {
  let scalars: [Unicode.Scalar]
  var position = 0

  init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  mutating func document() -> XMLNode? {
    while position < scalars.count {
      if scalars[position] == "<" {
        if skipMarkup() { continue }
        return element()
      }
      position += 1
    }
    return nil
  }

  /// Skips `<?…?>`, `<!--…-->` and `<!…>` at the current position; false for anything else.
  mutating func skipMarkup() -> Bool {
    guard position + 1 < scalars.count else { return false }
    let next = scalars[position + 1]
    if next == "?" { skip(past: "?>"); return true }
    if starts(with: "<!--") { skip(past: "-->"); return true }
    if next == "!" && !starts(with: "<![CDATA[") { skip(past: ">"); return true }
    return false
  }

  mutating func element() -> XMLNode? {
    position += 1  // "<"
    let qualified = readName()
    var node = XMLNode(name: localName(qualified))
    while position < scalars.count {
      skipSpace()
      guard position < scalars.count else { return nil }
      let scalar = scalars[position]
      if scalar == "/" {
        skip(past: ">")
        return node
      }
      if scalar == ">" {
        position += 1
        break
      }
      let attribute = readName()
      skipSpace()
      guard position < scalars.count, scalars[position] == "=" else { return nil }
      position += 1
      skipSpace()
      guard position < scalars.count else { return nil }
      let quote = scalars[position]
      position += 1
      let value = readText(until: quote)
      position += 1
      node.attributes[localName(attribute)] = value
    }
    while position < scalars.count {
      if starts(with: "</") {
        skip(past: ">")
        return node
      }
      if starts(with: "<![CDATA[") {
        position += 9
        let start = position
        skip(past: "]]>")
        node.text += String(String.UnicodeScalarView(scalars[start..<max(start, position - 3)]))
        continue
      }
      if scalars[position] == "<" {
        if skipMarkup() { continue }
        guard let child = element() else { return nil }
        node.children.append(child)
        continue
      }
      node.text += readText(until: "<")
    }
    return nil
  }

  mutating func readName() -> String {
    let start = position
    while position < scalars.count {
      let scalar = scalars[position]
      if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == ">"
        || scalar == "/" || scalar == "="
      {
        break
      }
      position += 1
    }
    return String(String.UnicodeScalarView(scalars[start..<position]))
  }

  /// Reads and entity-decodes text up to (not including) `terminator`.
  mutating func readText(until terminator: Unicode.Scalar) -> String {
    var text = String.UnicodeScalarView()
    while position < scalars.count, scalars[position] != terminator {
      if scalars[position] == "&", let decoded = entity() {
        text.append(decoded)
        continue
      }
      text.append(scalars[position])
      position += 1
    }
    return String(text)
  }

  /// Decodes the entity at the current position and moves past it.
  mutating func entity() -> Unicode.Scalar? {
    guard let end = scalars[position...].prefix(12).firstIndex(of: ";") else { return nil }
    let body = String(String.UnicodeScalarView(scalars[(position + 1)..<end]))
    let decoded: Unicode.Scalar?
    switch body {
    case "amp": decoded = "&"
    case "lt": decoded = "<"
    case "gt": decoded = ">"
    case "quot": decoded = "\""
    case "apos": decoded = "'"
    default:
      if body.hasPrefix("#x") || body.hasPrefix("#X") {
        decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
      } else if body.hasPrefix("#") {
        decoded = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
      } else {
        decoded = nil
      }
    }
    if decoded != nil { position = end + 1 }
    return decoded
  }

  func starts(with prefix: String) -> Bool {
    var index = position
    for scalar in prefix.unicodeScalars {
      guard index < scalars.count, scalars[index] == scalar else { return false }
      index += 1
    }
    return true
  }

  mutating func skip(past terminator: String) {
    while position < scalars.count {
      if starts(with: terminator) {
        position += terminator.unicodeScalars.count
        return
      }
      position += 1
    }
  }

  mutating func skipSpace() {
    while position < scalars.count,
      scalars[position] == " " || scalars[position] == "\t" || scalars[position] == "\n"
        || scalars[position] == "\r"
    {
      position += 1
    }
  }

  func localName(_ qualified: String) -> String {
    guard let colon = qualified.lastIndex(of: ":") else { return qualified }
    return String(qualified[qualified.index(after: colon)...])
  }
}
