internal import CBLAS

// Small helpers shared by the LAPACKE wrappers.

@inline(__always) func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

extension Matrix {
  /// Throws unless the matrix is square.
  func requireSquare(_ operation: String) throws {
    guard isSquare else { throw LinearAlgebraError.notSquare(rows: rows, cols: cols, operation: operation) }
  }
  /// Throws if any entry is NaN or infinite (LAPACK would reject it with a cryptic code).
  func requireFinite(_ operation: String) throws {
    for x in scalars where !x.isFinite {
      throw LinearAlgebraError.notFinite(operation: operation, rows: rows, cols: cols)
    }
  }
  /// Sets the strictly upper (or lower) triangle to zero.
  mutating func zeroTriangle(upper: Bool) {
    let n = cols
    for i in 0..<rows {
      if upper {
        for j in Swift.min(i + 1, n)..<n { scalars[i * n + j] = 0 }
      } else {
        for j in 0..<Swift.min(i, n) { scalars[i * n + j] = 0 }
      }
    }
  }
}
