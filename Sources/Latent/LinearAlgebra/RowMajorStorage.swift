/// What ``Matrix`` (Double) and ``FloatMatrix`` (Float) share: a row-major array of scalars
/// with its shape. The loops that do not depend on the scalar type are written once, here;
/// whole-module optimization specializes them for each type.
protocol RowMajorStorage {
  associatedtype Scalar
  var rows: Int { get }
  var cols: Int { get }
  var scalars: [Scalar] { get }
  var shapeDescription: String { get }
  init(rows: Int, cols: Int, scalars: [Scalar])
}

extension RowMajorStorage {
  /// f applied to matching entries of two matrices of the same shape; a shape mismatch traps
  /// with both shapes and the operation's name in the message.
  @inline(__always)
  static func zipMap(_ a: Self, _ b: Self, _ op: String, _ symbol: String, _ f: (Scalar, Scalar) -> Scalar) -> Self {
    guard a.rows == b.rows && a.cols == b.cols else {
      fail(
        LinearAlgebraError.dimensionMismatch(
          "matrix \(op): \(a.shapeDescription) \(symbol) \(b.shapeDescription): shapes differ"))
    }
    let n = a.scalars.count
    let out = [Scalar](unsafeUninitializedCapacity: n) { o, count in
      a.scalars.withUnsafeBufferPointer { x in
        b.scalars.withUnsafeBufferPointer { y in
          for i in 0..<n { (o.baseAddress! + i).initialize(to: f(x[i], y[i])) }
        }
      }
      count = n
    }
    return Self(rows: a.rows, cols: a.cols, scalars: out)
  }

  /// The transpose, copied in 32×32 blocks so both the reads and the writes stay in cache.
  func blockedTranspose() -> Self {
    let m = rows, n = cols, b = 32
    guard m * n > 0 else { return Self(rows: n, cols: m, scalars: []) }
    let out = [Scalar](unsafeUninitializedCapacity: m * n) { t, count in
      scalars.withUnsafeBufferPointer { a in
        for i0 in stride(from: 0, to: m, by: b) {
          for j0 in stride(from: 0, to: n, by: b) {
            for i in i0..<Swift.min(i0 + b, m) {
              for j in j0..<Swift.min(j0 + b, n) { (t.baseAddress! + j * m + i).initialize(to: a[i * n + j]) }
            }
          }
        }
      }
      count = m * n
    }
    return Self(rows: n, cols: m, scalars: out)
  }
}

extension Matrix: RowMajorStorage {}
extension FloatMatrix: RowMajorStorage {}
