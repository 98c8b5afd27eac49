// Elementwise arithmetic on matrices. Shapes must match exactly, except the
// documented row broadcast `X - μ` (subtract a vector from every row).

extension Matrix {

  /// A + B (same shape).
  public static func + (a: Matrix, b: Matrix) -> Matrix { zipMap(a, b, "sum", "+") { $0 + $1 } }
  /// A − B (same shape).
  public static func - (a: Matrix, b: Matrix) -> Matrix { zipMap(a, b, "difference", "-") { $0 - $1 } }
  /// The elementwise (Hadamard) product A ⊙ B.
  public static func ⊙ (a: Matrix, b: Matrix) -> Matrix { zipMap(a, b, "elementwise product", "⊙") { $0 * $1 } }
  /// −A.
  public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }
  /// αA.
  public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }
  /// Aα.
  public static func * (a: Matrix, s: Double) -> Matrix { a.map { $0 * s } }
  /// A / α.
  public static func / (a: Matrix, s: Double) -> Matrix { a.map { $0 / s } }
  public static func += (a: inout Matrix, b: Matrix) { a = a + b }
  public static func -= (a: inout Matrix, b: Matrix) { a = a - b }
  public static func *= (a: inout Matrix, s: Double) { a = a * s }
  public static func /= (a: inout Matrix, s: Double) { a = a / s }

  /// Adds vᵀ to every row: (A + v)ᵢⱼ = Aᵢⱼ + vⱼ. `v.count` must equal the column count.
  public static func + (a: Matrix, v: Vector) -> Matrix { a.broadcastRows(v, "+") { $0 + $1 } }
  /// Subtracts vᵀ from every row: (X − μ)ᵢⱼ = Xᵢⱼ − μⱼ, e.g. centring a data matrix.
  public static func - (a: Matrix, v: Vector) -> Matrix { a.broadcastRows(v, "-") { $0 - $1 } }

  func broadcastRows(_ v: Vector, _ symbol: String, _ f: (Double, Double) -> Double) -> Matrix {
    guard v.count == cols else {
      fail(
        LinearAlgebraError.dimensionMismatch(
          "row broadcast: \(shapeDescription) \(symbol) vector of length \(v.count): needs length \(cols)"))
    }
    var out = self
    let n = cols
    out.scalars.withUnsafeMutableBufferPointer { o in
      v.scalars.withUnsafeBufferPointer { w in
        for i in 0..<rows { for j in 0..<n { o[i * n + j] = f(o[i * n + j], w[j]) } }
      }
    }
    return out
  }

  /// X with its column means subtracted (each column then has mean 0).
  public var centered: Matrix { self - columnMeans }
}

/// diag(s) A: row i of A times sᵢ, without forming the diagonal matrix.
/// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `s` has one entry per row of A.
func scaledRows(_ A: Matrix, by s: Vector) throws -> Matrix {
  guard s.count == A.rows else {
    throw LinearAlgebraError.dimensionMismatch(
      "row scaling diag(s) A: \(A.shapeDescription) matrix with \(s.count) scales: needs \(A.rows)")
  }
  var out = A
  let n = A.cols
  out.scalars.withUnsafeMutableBufferPointer { o in
    for i in 0..<A.rows { for j in 0..<n { o[i * n + j] *= s[i] } }
  }
  return out
}
