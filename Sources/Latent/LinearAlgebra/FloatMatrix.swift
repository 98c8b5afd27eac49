internal import CBLAS

/// A dense single-precision matrix (row-major `[Float]`) for the VAE chapter,
/// where minibatch products dominate and Float32 `sgemm` is twice as fast as `dgemm`.
///
/// It mirrors ``Matrix``: `A * B` is `cblas_sgemm`, `+ - ⊙` are elementwise,
/// `A + b` adds a row vector to every row. For allocation-free training loops use
/// ``FloatMatrix/multiply(_:_:transposeA:transposeB:into:alpha:beta:)``.
/// Convert with `FloatMatrix(A)` and `Matrix(F)`.
public struct FloatMatrix: Hashable, Sendable, Codable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let cols: Int
  /// Entries in row-major order: Aᵢⱼ is `scalars[i * cols + j]`.
  public var scalars: [Float]

  /// An m×n matrix filled with `value` (zero by default).
  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    require(rows >= 0 && cols >= 0, "matrix shape \(rows)x\(cols) is negative")
    self.rows = rows; self.cols = cols
    self.scalars = [Float](repeating: value, count: rows * cols)
  }
  /// An m×n matrix from row-major entries.
  public init(rows: Int, cols: Int, scalars: [Float]) {
    require(rows >= 0 && cols >= 0, "matrix shape \(rows)x\(cols) is negative")
    require(
      scalars.count == rows * cols,
      "matrix \(rows)x\(cols) needs \(rows * cols) entries, got \(scalars.count)")
    self.rows = rows; self.cols = cols; self.scalars = scalars
  }
  /// A matrix from its rows.
  public init(_ rowArrays: [[Float]]) {
    let n = rowArrays.first?.count ?? 0
    for (i, r) in rowArrays.enumerated() {
      require(r.count == n, "FloatMatrix(rows): row 0 has \(n) entries but row \(i) has \(r.count)")
    }
    self.init(rows: rowArrays.count, cols: n, scalars: rowArrays.flatMap { $0 })
  }
  /// A Float copy of a Double matrix (rounded to nearest).
  public init(_ m: Matrix) { self.init(rows: m.rows, cols: m.cols, scalars: m.scalars.map { Float($0) }) }

  /// The m×n zero matrix.
  public static func zeros(_ rows: Int, _ cols: Int) -> FloatMatrix { FloatMatrix(rows: rows, cols: cols) }

  /// The shape as it appears in error messages, e.g. "64x784".
  public var shapeDescription: String { "\(rows)x\(cols)" }
  /// Total number of entries.
  @inlinable public var count: Int { scalars.count }

  /// The entry Aᵢⱼ (0-based).
  @inlinable public subscript(i: Int, j: Int) -> Float {
    get {
      require(i >= 0 && i < rows && j >= 0 && j < cols, "index (\(i), \(j)) out of range for \(rows)x\(cols) matrix")
      return scalars[i * cols + j]
    }
    set {
      require(i >= 0 && i < rows && j >= 0 && j < cols, "index (\(i), \(j)) out of range for \(rows)x\(cols) matrix")
      scalars[i * cols + j] = newValue
    }
  }
  /// Row i.
  public func row(_ i: Int) -> [Float] {
    require(i >= 0 && i < rows, "row \(i) out of range for \(rows)x\(cols) matrix")
    return Array(scalars[(i * cols)..<((i + 1) * cols)])
  }
  /// Consecutive rows as a new matrix (a minibatch).
  public func rows(_ range: Range<Int>) -> FloatMatrix {
    require(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) out of range for \(rows)x\(cols) matrix")
    return FloatMatrix(
      rows: range.count, cols: cols, scalars: Array(scalars[(range.lowerBound * cols)..<(range.upperBound * cols)]))
  }
  /// The rows at `indices` (a minibatch gathered by a permutation), copied into new storage
  /// without zeroing it first.
  public func rows(at indices: [Int]) -> FloatMatrix {
    let n = cols
    for i in indices { require(i >= 0 && i < rows, "row \(i) out of range for \(rows)x\(n) matrix") }
    let out = [Float](unsafeUninitializedCapacity: indices.count * n) { dst, initialized in
      if let base = dst.baseAddress, n > 0 {
        scalars.withUnsafeBufferPointer { src in
          for (k, i) in indices.enumerated() { (base + k * n).initialize(from: src.baseAddress! + i * n, count: n) }
        }
      }
      initialized = indices.count * n
    }
    return FloatMatrix(rows: indices.count, cols: cols, scalars: out)
  }
  /// The transpose Aᵀ (a copy, blocked for cache efficiency).
  public var transposed: FloatMatrix { blockedTranspose() }
  /// Aᵀ.
  public var T: FloatMatrix { transposed }
  /// Applies `f` to every entry.
  public func map(_ f: (Float) throws -> Float) rethrows -> FloatMatrix {
    FloatMatrix(rows: rows, cols: cols, scalars: try scalars.map(f))
  }
  /// Σᵢⱼ Aᵢⱼ (accumulated in Double).
  public var sum: Double { scalars.reduce(0.0) { $0 + Double($1) } }
  /// Column sums (accumulated in Double, returned as Float), e.g. a bias gradient.
  public var columnSums: [Float] {
    var s = [Double](repeating: 0, count: cols)
    let n = cols
    scalars.withUnsafeBufferPointer { a in
      s.withUnsafeMutableBufferPointer { o in
        for i in 0..<rows { for j in 0..<n { o[j] += Double(a[i * n + j]) } }
      }
    }
    return s.map { Float($0) }
  }
  /// Row sums (accumulated in Double).
  public var rowSums: [Double] {
    let n = cols
    return (0..<rows).map { i in scalars[(i * n)..<((i + 1) * n)].reduce(0.0) { $0 + Double($1) } }
  }
}

extension Matrix {
  /// A Double copy of a Float matrix (exact).
  public init(_ f: FloatMatrix) { self.init(rows: f.rows, cols: f.cols, scalars: f.scalars.map { Double($0) }) }
}

// MARK: - Products

extension FloatMatrix {
  /// C ← α·op(A)·op(B) + β·C in place (`cblas_sgemm`), with no allocation.
  /// C must already have the result's shape.
  public static func multiply(
    _ a: FloatMatrix, _ b: FloatMatrix,
    transposeA ta: Bool = false, transposeB tb: Bool = false,
    into c: inout FloatMatrix, alpha: Float = 1, beta: Float = 0
  ) throws {
    let (m, n, k) = try productShape(a, b, ta, tb)
    guard c.rows == m && c.cols == n else {
      throw LinearAlgebraError.dimensionMismatch(
        "matrix product: \(operand(a, ta)) * \(operand(b, tb)) is \(m)x\(n) but the output is \(c.shapeDescription)")
    }
    if m == 0 || n == 0 { return }
    if k == 0 {
      for i in 0..<c.scalars.count { c.scalars[i] *= beta }
      return
    }
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        c.scalars.withUnsafeMutableBufferPointer { pc in
          sgemm(
            transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, pa.baseAddress!, lda: a.cols,
            pb.baseAddress!, ldb: b.cols, beta: beta, pc.baseAddress!, ldc: n)
        }
      }
    }
  }

  /// op(A)·op(B) into a fresh matrix (`cblas_sgemm`). Throws on inner-dimension mismatch.
  public static func product(
    _ a: FloatMatrix, _ b: FloatMatrix,
    transposeA ta: Bool = false, transposeB tb: Bool = false
  ) throws -> FloatMatrix {
    let (m, n, k) = try productShape(a, b, ta, tb)
    guard m > 0, n > 0, k > 0 else { return FloatMatrix(rows: m, cols: n) }
    // Uninitialised output: sgemm with β = 0 writes every entry without reading it.
    let out = [Float](unsafeUninitializedCapacity: m * n) { pc, count in
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          sgemm(
            transposeA: ta, transposeB: tb, m: m, n: n, k: k, pa.baseAddress!, lda: a.cols, pb.baseAddress!,
            ldb: b.cols, pc.baseAddress!, ldc: n)
        }
      }
      count = m * n
    }
    return FloatMatrix(rows: m, cols: n, scalars: out)
  }

  /// The shape m×n and inner dimension k of op(A)·op(B), or an error naming both shapes.
  private static func productShape(_ a: FloatMatrix, _ b: FloatMatrix, _ ta: Bool, _ tb: Bool) throws -> (
    m: Int, n: Int, k: Int
  ) {
    let (m, k) = ta ? (a.cols, a.rows) : (a.rows, a.cols)
    let (k2, n) = tb ? (b.cols, b.rows) : (b.rows, b.cols)
    guard k == k2 else {
      throw LinearAlgebraError.dimensionMismatch(
        "matrix product: \(operand(a, ta)) * \(operand(b, tb)): inner dimensions \(k) and \(k2) differ")
    }
    return (m, n, k)
  }

  private static func operand(_ a: FloatMatrix, _ transposed: Bool) -> String {
    transposed ? "\(a.shapeDescription)ᵀ" : a.shapeDescription
  }

  /// AB, throwing a readable error when the inner dimensions differ.
  public func multiplied(by b: FloatMatrix) throws -> FloatMatrix { try FloatMatrix.product(self, b) }
  /// The matrix product AB (`cblas_sgemm`); traps with both shapes in the message on mismatch.
  public static func * (a: FloatMatrix, b: FloatMatrix) -> FloatMatrix {
    do { return try product(a, b) } catch { fail(error) }
  }
  /// AᵀB without forming Aᵀ.
  public func transposeTimes(_ b: FloatMatrix) -> FloatMatrix {
    do { return try FloatMatrix.product(self, b, transposeA: true) } catch { fail(error) }
  }
  /// ABᵀ without forming Bᵀ.
  public func timesTranspose(_ b: FloatMatrix) -> FloatMatrix {
    do { return try FloatMatrix.product(self, b, transposeB: true) } catch { fail(error) }
  }
}

// MARK: - Elementwise

extension FloatMatrix {

  public static func + (a: FloatMatrix, b: FloatMatrix) -> FloatMatrix { zipMap(a, b, "sum", "+") { $0 + $1 } }
  public static func - (a: FloatMatrix, b: FloatMatrix) -> FloatMatrix { zipMap(a, b, "difference", "-") { $0 - $1 } }
  /// The elementwise product A ⊙ B.
  public static func ⊙ (a: FloatMatrix, b: FloatMatrix) -> FloatMatrix {
    zipMap(a, b, "elementwise product", "⊙") { $0 * $1 }
  }
  public static prefix func - (a: FloatMatrix) -> FloatMatrix { a.map { -$0 } }
  public static func * (s: Float, a: FloatMatrix) -> FloatMatrix { a.map { s * $0 } }
  public static func * (a: FloatMatrix, s: Float) -> FloatMatrix { a.map { $0 * s } }
  public static func / (a: FloatMatrix, s: Float) -> FloatMatrix { a.map { $0 / s } }
  /// A += B in place (no allocation when A is uniquely referenced).
  public static func += (a: inout FloatMatrix, b: FloatMatrix) {
    guard a.rows == b.rows && a.cols == b.cols else {
      fail(
        LinearAlgebraError.dimensionMismatch(
          "matrix sum: \(a.shapeDescription) += \(b.shapeDescription): shapes differ"))
    }
    a.scalars.withUnsafeMutableBufferPointer { x in
      b.scalars.withUnsafeBufferPointer { y in
        for i in 0..<x.count { x[i] += y[i] }
      }
    }
  }
  /// A −= B in place.
  public static func -= (a: inout FloatMatrix, b: FloatMatrix) {
    guard a.rows == b.rows && a.cols == b.cols else {
      fail(
        LinearAlgebraError.dimensionMismatch(
          "matrix difference: \(a.shapeDescription) -= \(b.shapeDescription): shapes differ"))
    }
    a.scalars.withUnsafeMutableBufferPointer { x in
      b.scalars.withUnsafeBufferPointer { y in
        for i in 0..<x.count { x[i] -= y[i] }
      }
    }
  }
  /// A *= α in place.
  public static func *= (a: inout FloatMatrix, s: Float) {
    a.scalars.withUnsafeMutableBufferPointer { x in for i in 0..<x.count { x[i] *= s } }
  }
  /// Adds the row vector bᵀ to every row (a bias): (A + b)ᵢⱼ = Aᵢⱼ + bⱼ.
  public static func + (a: FloatMatrix, b: [Float]) -> FloatMatrix {
    guard b.count == a.cols else {
      fail(
        LinearAlgebraError.dimensionMismatch(
          "row broadcast: \(a.shapeDescription) + vector of length \(b.count): needs length \(a.cols)"))
    }
    var out = a
    let n = a.cols
    out.scalars.withUnsafeMutableBufferPointer { o in
      b.withUnsafeBufferPointer { w in
        for i in 0..<a.rows { for j in 0..<n { o[i * n + j] += w[j] } }
      }
    }
    return out
  }
}

extension FloatMatrix: CustomStringConvertible {
  public var description: String { Matrix(self).description }
}
