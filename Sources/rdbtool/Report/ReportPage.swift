import Foundation

/// The HTML of `rdbtool report`: one self-contained page (styles, script and data inline; a
/// Content-Security-Policy that allows no request at all), drawn by its script from the data
/// in a `<script type="application/json">` element.
enum ReportPage {
  /// The page for `data`.
  ///
  /// Key names and the title are text from the input: the title is HTML-escaped, and the data
  /// element's JSON has `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, so no byte
  /// of a key can close the element or start markup.
  static func html(_ data: ReportData) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(data), as: UTF8.self)
    let title = escape(data.title)
    let sections =
      [
        ("summary", "Summary"), ("findings", "Findings"), ("types", "Types"),
        ("prefixes", "Prefixes"), ("ttl", "TTLs"), ("biggest", "Biggest keys"),
        ("histograms", "Histograms"),
      ] + (data.slots == nil ? [] : [("slots", "Slots")])
    let links = sections.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined()
    return """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
      style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="rdbtool report">
      <title>\(title)</title>
      <style>
      \(styles)
      </style>
      </head>
      <body>
      <header><h1>\(title)</h1><p>\(escape(subtitle(data)))</p><nav>\(links)</nav></header>
      <main id="app"><noscript>This report draws itself with JavaScript; enable it to see \
      the charts.</noscript></main>
      <script type="application/json" id="report-data">\(scriptSafe(json))</script>
      <script>
      \(script)
      </script>
      </body>
      </html>

      """
  }

  private static func subtitle(_ data: ReportData) -> String {
    let files = data.files.count == 1 ? data.files[0].name : "\(data.files.count) shards"
    return
      "\(files) · \(ReportFinding.count(data.keys, "key")) · \(ByteSize.text(data.bytes)) estimated · "
      + "generated \(data.generated) by rdbtool"
  }

  /// `text` with `&`, `<`, `>`, `"` and `'` as character references.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(character)
      }
    }
    return out
  }

  /// JSON text that cannot end its `<script>` element or open a comment: `<`, `>` and `&`
  /// (which occur only inside strings) as `\u` escapes, and U+2028/U+2029 likewise.
  static func scriptSafe(_ json: String) -> String {
    var out = ""
    out.reserveCapacity(json.utf8.count)
    for character in json.unicodeScalars {
      switch character {
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default: out.unicodeScalars.append(character)
      }
    }
    return out
  }
}
