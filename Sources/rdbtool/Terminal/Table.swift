/// A plain text table: a header row, a rule, left-aligned first column, right-aligned rest.
struct Table {
  let header: [String]
  let rows: [[String]]

  init(_ header: [String], _ rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in
      all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    var lines = [
      line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "),
    ]
    lines += rows.map(line)
    return lines.joined(separator: "\n") + "\n"
  }
}
