internal import CBLAS
import Foundation

/// The Cholesky factorization A = LLᵀ of a symmetric positive-definite matrix,
/// L lower triangular with positive diagonal (LAPACK `dpotrf`).
///
/// It is the numerically preferred way to solve with, invert, and take the
/// log-determinant of a covariance matrix: log det A = 2 Σᵢ log Lᵢᵢ never
/// overflows, and solves cost O(n²) per right-hand side after the O(n³/3) factorization.
public struct Cholesky: Sendable, Codable {
  /// The lower-triangular factor L (upper triangle exactly zero).
  public let L: Matrix

  /// Wraps an existing lower-triangular factor with positive diagonal.
  public init(lower L: Matrix) {
    require(L.isSquare, "Cholesky(lower:): factor must be square, got \(L.shapeDescription)")
    self.L = L
  }

  /// The order n of the factored matrix.
  public var order: Int { L.rows }
  /// The reconstructed matrix LLᵀ.
  public var matrix: Matrix { L.timesTranspose(L) }
  /// log det A = 2 Σᵢ log Lᵢᵢ.
  public var logDeterminant: Double { 2 * L.diagonal.reduce(0) { $0 + Foundation.log($1) } }
  /// det A = (Πᵢ Lᵢᵢ)² (may overflow for large n; prefer ``logDeterminant``).
  public var determinant: Double { Foundation.exp(logDeterminant) }

  /// x = A⁻¹b by forward substitution Ly = b then back substitution Lᵀx = y.
  public func solve(_ b: Vector) -> Vector {
    require(b.count == order, "cholesky solve: \(order)x\(order) system with right-hand side of length \(b.count)")
    let y = try! L.solveTriangular(b, lower: true)
    return try! L.solveTriangular(y, lower: true, transposed: true)
  }
  /// X = A⁻¹B for a matrix of right-hand sides.
  public func solve(_ B: Matrix) -> Matrix {
    require(B.rows == order, "cholesky solve: \(order)x\(order) system with right-hand side \(B.shapeDescription)")
    let Y = try! L.solveTriangular(B, lower: true)
    return try! L.solveTriangular(Y, lower: true, transposed: true)
  }
  /// L⁻¹b (whitening: if b ~ 𝒩(0, A) then L⁻¹b ~ 𝒩(0, I)).
  public func whiten(_ b: Vector) -> Vector { try! L.solveTriangular(b, lower: true) }
  /// A⁻¹ = L⁻ᵀL⁻¹, symmetric by construction.
  public var inverse: Matrix {
    let Linv = try! L.solveTriangular(Matrix.identity(order), lower: true)
    return Linv.transposeTimes(Linv)
  }
}

extension Matrix {
  /// The Cholesky factorization A = LLᵀ (LAPACK `dpotrf`).
  ///
  /// Only the lower triangle of A is read; A is assumed symmetric.
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite(order:minor:)`` naming the
  ///   shape and the first non-positive leading minor, or `.notSquare`/`.notFinite`.
  public func cholesky() throws -> Cholesky {
    try requireSquare("cholesky")
    try requireFinite("cholesky")
    BLAS.ensureConfigured()
    var a = self
    let n = rows
    if n == 0 { return Cholesky(lower: a) }
    // Row-major lower triangle = column-major upper triangle: no transposition copy needed.
    let info = a.scalars.withUnsafeMutableBufferPointer { p in
      LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackChar("U"), Int32(n), p.baseAddress, Int32(n))
    }
    if info > 0 { throw LinearAlgebraError.notPositiveDefinite(order: n, minor: Int(info)) }
    if info < 0 { throw LinearAlgebraError.lapack(routine: "dpotrf", info: Int(info)) }
    a.zeroTriangle(upper: true)
    return Cholesky(lower: a)
  }

  /// Whether A is (numerically) positive definite, i.e. its Cholesky factorization succeeds.
  public var isPositiveDefinite: Bool { (try? cholesky()) != nil }

  /// Solves Ax = b for symmetric positive-definite A via Cholesky.
  public func solvePositiveDefinite(_ b: Vector) throws -> Vector {
    guard b.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "positive-definite solve: \(shapeDescription) system with right-hand side of length \(b.count)")
    }
    return try cholesky().solve(b)
  }
  /// Solves AX = B for symmetric positive-definite A via Cholesky.
  public func solvePositiveDefinite(_ B: Matrix) throws -> Matrix {
    guard B.rows == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "positive-definite solve: \(shapeDescription) system with right-hand side \(B.shapeDescription)")
    }
    return try cholesky().solve(B)
  }
}
