import Foundation

/// What `display(Table(...))` sends the engine (a `.table` figure file, JSON): the cells already
/// written as text, each column marked numeric or not so the page can align its numbers.
public struct TablePayload: Codable, Equatable, Sendable {
  public struct Column: Codable, Equatable, Sendable {
    public var title: String
    /// Every cell of the column is a number (aligned right, in tabular figures).
    public var numeric: Bool

    public init(title: String, numeric: Bool) {
      self.title = title
      self.numeric = numeric
    }
  }

  public var columns: [Column]
  public var rows: [[String]]

  public init(columns: [Column], rows: [[String]]) {
    self.columns = columns
    self.rows = rows
  }

  /// A one-line description for screen readers and the terminal.
  public var summary: String {
    "Table of \(rows.count) row\(rows.count == 1 ? "" : "s"): \(columns.map(\.title).joined(separator: ", "))"
  }

  /// The table as aligned plain text (numbers right-aligned), for a terminal.
  public var plainText: String {
    let lines = [columns.map(\.title)] + rows
    let widths = columns.indices.map { column in
      lines.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    return lines.map { cells in
      columns.indices.map { column -> String in
        let text = cells.indices.contains(column) ? cells[column] : ""
        let pad = String(repeating: " ", count: widths[column] - text.count)
        return columns[column].numeric ? pad + text : text + pad
      }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }.joined(separator: "\n")
  }
}

/// What an explorable figure sends the engine (an `.explorable` figure file, JSON): one frame
/// per value of its parameter, each a complete SVG or PNG with its own alt text.
public struct ExplorablePayload: Codable, Equatable, Sendable {
  public struct Frame: Codable, Equatable, Sendable {
    public var data: Data
    public var altText: String

    public init(data: Data, altText: String) {
      self.data = data
      self.altText = altText
    }
  }

  /// The parameter's name, shown beside the slider ("β", "iteration").
  public var parameter: String
  /// Each value as the page shows it.
  public var values: [String]
  /// The frame shown first, and without JavaScript.
  public var initial: Int
  /// `svg` or `png`, the same for every frame.
  public var format: FigureRecord.Format
  public var frames: [Frame]

  public init(parameter: String, values: [String], initial: Int, format: FigureRecord.Format, frames: [Frame]) {
    self.parameter = parameter
    self.values = values
    self.initial = initial
    self.format = format
    self.frames = frames
  }
}
