import Foundation
internal import NotebookEvents

/// A table of computed values, shown under the block by `display(table, caption:, label:)` as an
/// HTML table: a header row, numbers aligned right in tabular figures, a numbered caption
/// ("Table 2"), and `@tbl-name` references like figures.
///
/// ```swift
/// var table = Table(columns: ["factors", Table.Column("log-likelihood", decimals: 2)])
/// for (k, value) in results { try table.addRow(k, value) }
/// display(table, caption: "Log-likelihood by number of factors.", label: "tbl-factors")
/// ```
///
/// It is `Codable`, so a chapter may keep one in a top-level variable (checkpoints save it).
public struct Table: Codable, Equatable, Sendable {
  /// A column: its header and, for numbers, how many digits follow the decimal point.
  public struct Column: Codable, Equatable, Sendable, ExpressibleByStringLiteral {
    public var title: String
    /// Digits after the decimal point for `Double` cells; nil writes the shortest exact form.
    public var decimals: Int?

    public init(_ title: String, decimals: Int? = nil) {
      self.title = title
      self.decimals = decimals
    }

    public init(stringLiteral value: String) { self.init(value) }
  }

  /// One cell: text, an integer, or a floating-point number.
  public enum Cell: Codable, Equatable, Sendable {
    case text(String)
    case integer(Int)
    case number(Double)
  }

  public var columns: [Column]
  /// The rows, each with one cell per column (`addRow` sees to it).
  public private(set) var rows: [[Cell]] = []

  public init(columns: [Column]) {
    self.columns = columns
  }

  /// Appends a row of values (`Double`, `Float`, `Int` or `String`), one per column.
  ///
  /// It throws `TableError` for a row of the wrong length, or a number that is NaN or infinite:
  /// a table must not show a diverged computation as if it were a result.
  public mutating func addRow(_ values: any TableValue...) throws {
    try addRow(values)
  }

  /// Appends a row of values, one per column.
  public mutating func addRow(_ values: [any TableValue]) throws {
    guard values.count == columns.count else {
      let titles = columns.map { "\"\($0.title)\"" }.joined(separator: ", ")
      throw TableError(
        description: "Table.addRow: \(values.count) values for the \(columns.count) columns \(titles)")
    }
    let cells = values.map(\.tableCell)
    for (column, cell) in cells.enumerated() {
      if case .number(let value) = cell, !value.isFinite {
        throw TableError(
          description: "Table.addRow: row \(rows.count + 1), column \"\(columns[column].title)\" is \(value)")
      }
    }
    rows.append(cells)
  }

  /// A cell as the page writes it.
  public func text(_ cell: Cell, column: Int) -> String {
    switch cell {
    case .text(let text): return text
    case .integer(let value): return String(value)
    case .number(let value):
      guard value.isFinite, column < columns.count, let decimals = columns[column].decimals else {
        return "\(value)"
      }
      let text = String(format: "%.\(max(0, min(decimals, 17)))f", value)
      // "-0.00" says nothing a reader can use.
      return text.allSatisfy { "-0.".contains($0) } ? String(text.drop { $0 == "-" }) : text
    }
  }

  var payload: TablePayload {
    TablePayload(
      columns: columns.indices.map { column in
        TablePayload.Column(
          title: columns[column].title,
          numeric: !rows.isEmpty
            && rows.allSatisfy { row in
              if column < row.count, case .text = row[column] { return false }
              return true
            })
      },
      rows: rows.map { row in row.indices.map { text(row[$0], column: $0) } })
  }
}

/// Why `Table.addRow` refused a row.
public struct TableError: Error, CustomStringConvertible {
  public var description: String
}

/// A value that can fill a table cell.
public protocol TableValue {
  var tableCell: Table.Cell { get }
}

extension Double: TableValue { public var tableCell: Table.Cell { .number(self) } }
extension Float: TableValue {
  /// The `Double` whose shortest form is the `Float`'s (0.1, not 0.10000000149011612).
  public var tableCell: Table.Cell { .number(isFinite ? Double("\(self)") ?? Double(self) : Double(self)) }
}
extension Int: TableValue { public var tableCell: Table.Cell { .integer(self) } }
extension String: TableValue { public var tableCell: Table.Cell { .text(self) } }
extension Substring: TableValue { public var tableCell: Table.Cell { .text(String(self)) } }
extension Table.Cell: TableValue { public var tableCell: Table.Cell { self } }
