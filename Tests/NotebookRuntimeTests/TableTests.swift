import Foundation
import XCTest

@testable import NotebookRuntime

/// `Table`, as chapter code builds it: cells written by their column's decimals, columns marked
/// numeric only when every cell is a number, and a value a checkpoint can save.
final class TableTests: XCTestCase {
  func testCellsAreWrittenByTheirColumnsDecimals() {
    var table = Table(columns: ["k", Table.Column("bound", decimals: 2), "shortest", "name"])
    table.addRow(1, -90.123, 0.1, "IWAE")
    table.addRow(50, -0.001, Float(2.5), Substring("ELBO"))
    table.addRow(2, Double.nan, 1e-5, Table.Cell.text("-"))
    let payload = table.payload
    XCTAssertEqual(
      payload.rows, [["1", "-90.12", "0.1", "IWAE"], ["50", "0.00", "2.5", "ELBO"], ["2", "nan", "1e-05", "-"]])
    XCTAssertEqual(payload.columns.map(\.numeric), [true, true, true, false])
    XCTAssertEqual(payload.columns.map(\.title), ["k", "bound", "shortest", "name"])
  }

  func testAnEmptyTableHasNoNumericColumnsAndSurvivesACheckpoint() throws {
    XCTAssertEqual(Table(columns: ["a"]).payload.columns.map(\.numeric), [false])
    var table = Table(columns: ["a", Table.Column("b", decimals: 3)])
    table.addRow("x", 1.5)
    let data = try JSONEncoder().encode(table)
    XCTAssertEqual(try JSONDecoder().decode(Table.self, from: data), table)
  }
}
