internal import CBLAS

/// The thin singular value decomposition A = U diag(σ) Vᵀ (LAPACK `dgesdd`).
///
/// For A ∈ ℝ^(m×n) and k = min(m, n): U is m×k with orthonormal columns,
/// σ₁ ≥ σ₂ ≥ … ≥ σₖ ≥ 0 (descending), and Vᵀ is k×n with orthonormal rows.
/// Signs are normalised so that the largest-magnitude entry of each column of U is positive.
public struct SingularValueDecomposition: Sendable, Codable {
  /// Left singular vectors (columns), m×k.
  public let U: Matrix
  /// Singular values σ₁ ≥ … ≥ σₖ ≥ 0.
  public let singularValues: Vector
  /// Right singular vectors as rows, k×n.
  public let Vt: Matrix

  /// Right singular vectors as columns, n×k.
  public var V: Matrix { Vt.transposed }
  /// U diag(σ) Vᵀ, the reconstructed matrix.
  public var matrix: Matrix { (U * Matrix.diagonal(singularValues)) * Vt }
}

extension Matrix {
  /// The thin SVD of A (see ``SingularValueDecomposition``).
  /// - Throws: `.notFinite` or `.noConvergence`.
  public func svd() throws -> SingularValueDecomposition {
    try requireFinite("svd")
    BLAS.ensureConfigured()
    let m = rows, n = cols, k = Swift.min(m, n)
    if k == 0 {
      return SingularValueDecomposition(U: Matrix(rows: m, cols: 0), singularValues: [], Vt: Matrix(rows: 0, cols: n))
    }
    var a = self
    var s = [Double](repeating: 0, count: k)
    var u = [Double](repeating: 0, count: m * k)
    var vt = [Double](repeating: 0, count: k * n)
    let info = a.scalars.withUnsafeMutableBufferPointer { pa in
      s.withUnsafeMutableBufferPointer { ps in
        u.withUnsafeMutableBufferPointer { pu in
          vt.withUnsafeMutableBufferPointer { pv in
            LAPACKE_dgesdd(
              LAPACK_ROW_MAJOR, lapackChar("S"), Int32(m), Int32(n), pa.baseAddress, Int32(n),
              ps.baseAddress, pu.baseAddress, Int32(k), pv.baseAddress, Int32(n))
          }
        }
      }
    }
    if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dgesdd", info: Int(info)) }
    if info < 0 { throw LinearAlgebraError.lapack(routine: "dgesdd", info: Int(info)) }
    for c in 0..<k {
      var big = 0.0
      for i in 0..<m where Swift.abs(u[i * k + c]) > Swift.abs(big) { big = u[i * k + c] }
      if big < 0 {
        for i in 0..<m { u[i * k + c] = -u[i * k + c] }
        for j in 0..<n { vt[c * n + j] = -vt[c * n + j] }
      }
    }
    return SingularValueDecomposition(
      U: Matrix(rows: m, cols: k, scalars: u), singularValues: Vector(s),
      Vt: Matrix(rows: k, cols: n, scalars: vt))
  }
}
