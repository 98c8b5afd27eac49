internal import CBLAS

extension Matrix {
  /// Solves Tx = b (or Tᵀx = b) for triangular T = `self` by substitution (BLAS `dtrsv`).
  ///
  /// Only the triangle named by `lower` is read. Backward stable; the error
  /// grows with the condition number of T.
  /// - Throws: `.singular` if a diagonal entry is zero, `.dimensionMismatch`.
  public func solveTriangular(_ b: Vector, lower: Bool = true, transposed: Bool = false) throws -> Vector {
    try requireSquare("triangular solve")
    guard b.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "triangular solve: \(shapeDescription) system with right-hand side of length \(b.count)")
    }
    try checkTriangularDiagonal()
    BLAS.ensureConfigured()
    var x = b
    let n = rows
    if n == 0 { return x }
    scalars.withUnsafeBufferPointer { t in
      x.scalars.withUnsafeMutableBufferPointer { px in
        cblas_dtrsv(
          CblasRowMajor, lower ? CblasLower : CblasUpper, transposed ? CblasTrans : CblasNoTrans,
          CblasNonUnit, Int32(n), t.baseAddress, Int32(n), px.baseAddress, 1)
      }
    }
    return x
  }

  /// Solves TX = B (or TᵀX = B) for triangular T = `self` (BLAS `dtrsm`).
  public func solveTriangular(_ B: Matrix, lower: Bool = true, transposed: Bool = false) throws -> Matrix {
    try requireSquare("triangular solve")
    guard B.rows == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "triangular solve: \(shapeDescription) system with right-hand side \(B.shapeDescription)")
    }
    try checkTriangularDiagonal()
    BLAS.ensureConfigured()
    var X = B
    if rows == 0 || B.cols == 0 { return X }
    scalars.withUnsafeBufferPointer { t in
      X.scalars.withUnsafeMutableBufferPointer { px in
        cblas_dtrsm(
          CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transposed ? CblasTrans : CblasNoTrans,
          CblasNonUnit, Int32(rows), Int32(B.cols), 1.0, t.baseAddress, Int32(rows),
          px.baseAddress, Int32(B.cols))
      }
    }
    return X
  }

  private func checkTriangularDiagonal() throws {
    for i in 0..<rows where scalars[i * cols + i] == 0 {
      throw LinearAlgebraError.singular(order: rows, pivot: i + 1)
    }
  }
}
