internal import CBLAS

/// The eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix
/// (LAPACK `dsyevd`, divide and conquer).
///
/// **Order:** eigenvalues are sorted in *descending* order, λ₁ ≥ λ₂ ≥ … ≥ λₙ,
/// and column k of `vectors` is the unit eigenvector of `values[k]`. This is
/// the order PCA/PPCA wants (leading components first).
///
/// **Sign:** each eigenvector is normalised so that its entry of largest
/// magnitude is positive, which makes the result deterministic.
public struct SymmetricEigendecomposition: Sendable, Codable {
  /// The eigenvalues λ₁ ≥ … ≥ λₙ.
  public let values: Vector
  /// The orthogonal matrix V whose column k is the eigenvector for `values[k]`.
  public let vectors: Matrix

  /// V diag(λ) Vᵀ, the reconstructed matrix.
  public var matrix: Matrix { (vectors * Matrix.diagonal(values)).timesTranspose(vectors) }
}

extension Matrix {
  /// The symmetric eigendecomposition of A (eigenvalues descending, see
  /// ``SymmetricEigendecomposition``). A is assumed symmetric; (A + Aᵀ)/2 is
  /// what is decomposed, so rounding asymmetry in a computed covariance is harmless.
  /// - Throws: `.notSquare`, `.notFinite`, or `.noConvergence`.
  public func symmetricEigen() throws -> SymmetricEigendecomposition {
    try requireSquare("symmetric eigendecomposition")
    try requireFinite("symmetric eigendecomposition")
    BLAS.ensureConfigured()
    let n = rows
    if n == 0 { return SymmetricEigendecomposition(values: [], vectors: self) }
    var a = self
    for i in 0..<n {
      for j in 0..<i {
        let s = 0.5 * (scalars[i * n + j] + scalars[j * n + i])
        a.scalars[i * n + j] = s; a.scalars[j * n + i] = s
      }
    }
    var w = [Double](repeating: 0, count: n)
    // Symmetric: the row-major array is also the column-major matrix. On exit,
    // column k (column-major) = contiguous slice k holds eigenvector k (ascending λ).
    let info = a.scalars.withUnsafeMutableBufferPointer { p in
      w.withUnsafeMutableBufferPointer { pw in
        LAPACKE_dsyevd(
          LAPACK_COL_MAJOR, lapackChar("V"), lapackChar("L"), Int32(n), p.baseAddress, Int32(n), pw.baseAddress)
      }
    }
    if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dsyevd", info: Int(info)) }
    if info < 0 { throw LinearAlgebraError.lapack(routine: "dsyevd", info: Int(info)) }
    var V = Matrix(rows: n, cols: n)
    for k in 0..<n {
      let src = n - 1 - k  // descending order
      var big = 0.0
      for i in 0..<n where Swift.abs(a.scalars[src * n + i]) > Swift.abs(big) { big = a.scalars[src * n + i] }
      let s: Double = big < 0 ? -1 : 1
      for i in 0..<n { V.scalars[i * n + k] = s * a.scalars[src * n + i] }
    }
    return SymmetricEigendecomposition(values: Vector(w.reversed()), vectors: V)
  }
}
