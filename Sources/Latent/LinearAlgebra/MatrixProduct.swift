internal import CBLAS

// Matrix products through OpenBLAS (cblas_dgemm / cblas_dgemv). Transposes are
// passed to BLAS as flags, so `A.transposeTimes(B)` never materialises Aᵀ.

extension Matrix {
  /// The product op(A)·op(B) with op = identity or transpose, computed by
  /// `cblas_dgemm` into a fresh matrix. Throws on inner-dimension mismatch.
  public static func product(
    _ a: Matrix, _ b: Matrix,
    transposeA ta: Bool = false, transposeB tb: Bool = false
  ) throws -> Matrix {
    let (m, k) = ta ? (a.cols, a.rows) : (a.rows, a.cols)
    let (k2, n) = tb ? (b.cols, b.rows) : (b.rows, b.cols)
    guard k == k2 else {
      let l = ta ? "\(a.shapeDescription)ᵀ" : a.shapeDescription
      let r = tb ? "\(b.shapeDescription)ᵀ" : b.shapeDescription
      throw LinearAlgebraError.dimensionMismatch(
        "matrix product: \(l) * \(r): inner dimensions \(k) and \(k2) differ")
    }
    BLAS.ensureConfigured()
    let out = [Double](unsafeUninitializedCapacity: m * n) { c, count in
      if k == 0 {
        for i in 0..<(m * n) { c[i] = 0 }
      } else if m > 0 && n > 0 {
        a.scalars.withUnsafeBufferPointer { pa in
          b.scalars.withUnsafeBufferPointer { pb in
            cblas_dgemm(
              CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              Int32(m), Int32(n), Int32(k), 1.0,
              pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols),
              0.0, c.baseAddress, Int32(n))
          }
        }
      }
      count = m * n
    }
    return Matrix(rows: m, cols: n, scalars: out)
  }

  /// AB, throwing a readable error when the inner dimensions differ.
  public func multiplied(by b: Matrix) throws -> Matrix { try Matrix.product(self, b) }
  /// Ax, throwing a readable error when the lengths differ.
  public func multiplied(by x: Vector) throws -> Vector {
    guard cols == x.count else {
      throw LinearAlgebraError.dimensionMismatch(
        "matrix-vector product: \(shapeDescription) * vector of length \(x.count): inner dimensions \(cols) and \(x.count) differ"
      )
    }
    BLAS.ensureConfigured()
    let m = rows, n = cols
    let out = [Double](unsafeUninitializedCapacity: m) { y, count in
      if n == 0 {
        for i in 0..<m { y[i] = 0 }
      } else if m > 0 {
        scalars.withUnsafeBufferPointer { pa in
          x.scalars.withUnsafeBufferPointer { px in
            cblas_dgemv(
              CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1.0, pa.baseAddress, Int32(n),
              px.baseAddress, 1, 0.0, y.baseAddress, 1)
          }
        }
      }
      count = m
    }
    return Vector(out)
  }

  /// The matrix product AB (`cblas_dgemm`). Traps with a message naming both shapes
  /// when the inner dimensions differ; use ``multiplied(by:)-(Matrix)`` to get a thrown error instead.
  public static func * (a: Matrix, b: Matrix) -> Matrix {
    do { return try product(a, b) } catch { fail(error) }
  }
  /// The matrix–vector product Ax (`cblas_dgemv`).
  public static func * (a: Matrix, x: Vector) -> Vector {
    do { return try a.multiplied(by: x) } catch { fail(error) }
  }
  /// The row vector–matrix product xᵀA, returned as a vector.
  public static func * (x: Vector, a: Matrix) -> Vector {
    do { return Vector(try product(Matrix(row: x), a).scalars) } catch { fail(error) }
  }
  /// AᵀB without forming Aᵀ.
  public func transposeTimes(_ b: Matrix) -> Matrix {
    do { return try Matrix.product(self, b, transposeA: true) } catch { fail(error) }
  }
  /// ABᵀ without forming Bᵀ.
  public func timesTranspose(_ b: Matrix) -> Matrix {
    do { return try Matrix.product(self, b, transposeB: true) } catch { fail(error) }
  }
  /// The outer product xyᵀ.
  public static func outer(_ x: Vector, _ y: Vector) -> Matrix {
    Matrix(rows: x.count, cols: y.count) { i, j in x[i] * y[j] }
  }
}
