import XCTest

@testable import Latent

/// Asserts |a − b| ≤ tol, with a message showing both values.
func assertClose(
  _ a: Double, _ b: Double, tol: Double, _ msg: String = "", file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssert(Swift.abs(a - b) <= tol, "\(msg) |\(a) − \(b)| = \(Swift.abs(a - b)) > \(tol)", file: file, line: line)
}

/// Asserts max |Aᵢⱼ − Bᵢⱼ| ≤ tol for same-shaped matrices.
func assertClose(
  _ a: Matrix, _ b: Matrix, tol: Double, _ msg: String = "", file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.rows, b.rows, file: file, line: line)
  XCTAssertEqual(a.cols, b.cols, file: file, line: line)
  guard a.rows == b.rows, a.cols == b.cols else { return }
  let d = zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
  XCTAssert(d <= tol, "\(msg) max entry difference \(d) > \(tol)\n\(a)\nvs\n\(b)", file: file, line: line)
}

func assertClose(
  _ a: Vector, _ b: Vector, tol: Double, _ msg: String = "", file: StaticString = #filePath, line: UInt = #line
) {
  assertClose(Matrix(column: a), Matrix(column: b), tol: tol, msg, file: file, line: line)
}

/// The message of the error thrown by `body`, or nil.
func thrownMessage<T>(_ body: () throws -> T) -> String? {
  do { _ = try body(); return nil } catch { return "\(error)" }
}

/// A fixed symmetric positive-definite test matrix (also used in numpy for literals).
let spd3 = Matrix([[4, 2, 0.6], [2, 5, 1.5], [0.6, 1.5, 3]])
