import Foundation
import XCTest

@testable import NotebookRuntime

/// `Table`, as chapter code builds it: cells written by their column's decimals, columns marked
/// numeric only when every cell is a number, and a value a checkpoint can save.
final class TableTests: XCTestCase {
  func testCellsAreWrittenByTheirColumnsDecimals() throws {
    var table = Table(columns: ["k", Table.Column("bound", decimals: 2), "shortest", "name"])
    try table.addRow(1, -90.123, 0.1, "IWAE")
    try table.addRow(50, -0.001, Float(2.5), Substring("ELBO"))
    try table.addRow(2, 0.125, Float(0.1), Table.Cell.text("-"))
    try table.addRow(3, 0.5, 1e-5, "x")
    let payload = table.payload
    XCTAssertEqual(
      payload.rows,
      [
        ["1", "-90.12", "0.1", "IWAE"], ["50", "0.00", "2.5", "ELBO"], ["2", "0.12", "0.1", "-"],
        ["3", "0.50", "1e-05", "x"],
      ])
    XCTAssertEqual(payload.columns.map(\.numeric), [true, true, true, false])
    XCTAssertEqual(payload.columns.map(\.title), ["k", "bound", "shortest", "name"])
  }

  func testAnEmptyTableHasNoNumericColumnsAndSurvivesACheckpoint() throws {
    XCTAssertEqual(Table(columns: ["a"]).payload.columns.map(\.numeric), [false])
    var table = Table(columns: ["a", Table.Column("b", decimals: 3)])
    try table.addRow("x", 1.5)
    let data = try JSONEncoder().encode(table)
    XCTAssertEqual(try JSONDecoder().decode(Table.self, from: data), table)
  }

  func testARowOfTheWrongLengthOrANonFiniteNumberIsAnErrorNamingIt() {
    var table = Table(columns: ["k", "bound"])
    XCTAssertThrowsError(try table.addRow(1, 2.0, 3.0)) {
      XCTAssertEqual("\($0)", #"Table.addRow: 3 values for the 2 columns "k", "bound""#)
    }
    XCTAssertThrowsError(try table.addRow(1, Double.nan)) {
      XCTAssertEqual("\($0)", #"Table.addRow: row 1, column "bound" is nan"#)
    }
    XCTAssertThrowsError(try table.addRow(1, -Float.infinity)) {
      XCTAssertEqual("\($0)", #"Table.addRow: row 1, column "bound" is -inf"#)
    }
    XCTAssertTrue(table.rows.isEmpty, "a refused row is not added")
  }
}
