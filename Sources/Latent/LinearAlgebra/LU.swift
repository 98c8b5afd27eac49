internal import CBLAS
import Foundation

/// The LU factorization PA = LU with partial pivoting (LAPACK `dgetrf`), used
/// for general solves, inverses and determinants.
struct LUFactorization {
  var lu: Matrix  // L (unit lower, implicit) and U packed, row-major
  var pivots: [Int32]  // 1-based row interchanges
  var singularPivot: Int?  // first zero pivot of U, 1-based

  init(_ a: Matrix, operation: String) throws {
    try a.requireSquare(operation)
    try a.requireFinite(operation)
    BLAS.ensureConfigured()
    lu = a
    let n = a.rows
    pivots = [Int32](repeating: 0, count: Swift.max(n, 1))
    if n == 0 { singularPivot = nil; return }
    let info = lu.scalars.withUnsafeMutableBufferPointer { p in
      pivots.withUnsafeMutableBufferPointer { ip in
        LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), p.baseAddress, Int32(n), ip.baseAddress)
      }
    }
    if info < 0 { throw LinearAlgebraError.lapack(routine: "dgetrf", info: Int(info)) }
    singularPivot = info > 0 ? Int(info) : nil
  }

  /// (sign of det, log |det|).
  var signedLogDeterminant: (sign: Double, logAbs: Double) {
    let n = lu.rows
    var sign = 1.0, logAbs = 0.0
    for i in 0..<n {
      let u = lu.scalars[i * n + i]
      if u == 0 { return (0, -.infinity) }
      if u < 0 { sign = -sign }
      if Int(pivots[i]) != i + 1 { sign = -sign }
      logAbs += Foundation.log(Swift.abs(u))
    }
    return (sign, logAbs)
  }

  func solve(_ b: Matrix) throws -> Matrix {
    if let p = singularPivot { throw LinearAlgebraError.singular(order: lu.rows, pivot: p) }
    var x = b
    let n = lu.rows
    if n == 0 || b.cols == 0 { return x }
    let info = lu.scalars.withUnsafeBufferPointer { a in
      pivots.withUnsafeBufferPointer { ip in
        x.scalars.withUnsafeMutableBufferPointer { px in
          LAPACKE_dgetrs(
            LAPACK_ROW_MAJOR, lapackChar("N"), Int32(n), Int32(b.cols), a.baseAddress, Int32(n),
            ip.baseAddress, px.baseAddress, Int32(b.cols))
        }
      }
    }
    if info != 0 { throw LinearAlgebraError.lapack(routine: "dgetrs", info: Int(info)) }
    return x
  }
}

extension Matrix {
  /// Solves Ax = b for square A by LU with partial pivoting (LAPACK `dgetrf`/`dgetrs`).
  /// - Throws: `.singular` for an exactly singular A, `.dimensionMismatch` naming both shapes.
  public func solve(_ b: Vector) throws -> Vector {
    guard b.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "solve: \(shapeDescription) system with right-hand side of length \(b.count)")
    }
    return Vector(try LUFactorization(self, operation: "solve").solve(Matrix(column: b)).scalars)
  }
  /// Solves AX = B for square A by LU with partial pivoting.
  public func solve(_ B: Matrix) throws -> Matrix {
    guard B.rows == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "solve: \(shapeDescription) system with right-hand side \(B.shapeDescription)")
    }
    return try LUFactorization(self, operation: "solve").solve(B)
  }

  /// A⁻¹ by LU with partial pivoting. Throws for singular or non-square A.
  /// For a covariance matrix prefer `try A.cholesky().inverse`, or better a solve.
  public func inverted() throws -> Matrix {
    try LUFactorization(self, operation: "inverse").solve(.identity(rows))
  }
  /// A⁻¹; traps with a readable message for singular or non-square A (see ``inverted()``).
  public var inverse: Matrix {
    do { return try inverted() } catch { fail(error) }
  }

  /// (sign, log |det A|) from LU; sign is 0 and log |det A| = −∞ for singular A.
  public func signedLogDeterminant() throws -> (sign: Double, logAbs: Double) {
    try LUFactorization(self, operation: "determinant").signedLogDeterminant
  }
  /// det A by LU (may overflow/underflow for large n; prefer ``logDeterminant``).
  public var determinant: Double {
    do { let (s, l) = try signedLogDeterminant(); return s * Foundation.exp(l) } catch { fail(error) }
  }
  /// log det A by LU: −∞ if A is singular, NaN if det A < 0. Never overflows.
  /// For symmetric positive-definite A this equals `try A.cholesky().logDeterminant`.
  public var logDeterminant: Double {
    do {
      let (s, l) = try signedLogDeterminant()
      return s > 0 ? l : (s == 0 ? -.infinity : .nan)
    } catch { fail(error) }
  }
}
