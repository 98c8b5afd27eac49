import Foundation

/// A column vector x ∈ ℝⁿ with value semantics.
///
/// Write it as an array literal: `let μ: Vector = [2, 0]`. Arithmetic is
/// elementwise (`x + y`, `x - y`, `2 * x`, `x ⊙ y`), `x.dot(y)` is xᵀy, and
/// `A * x` (see ``Matrix``) is the matrix–vector product.
public struct Vector: Hashable, Sendable, Codable {
  /// The entries x₁ … xₙ (0-based in code).
  public var scalars: [Double]

  /// A vector with the given entries.
  @inlinable public init(_ scalars: [Double]) { self.scalars = scalars }
  /// A vector of the values of any sequence of `Double`s.
  @inlinable public init<S: Sequence>(_ values: S) where S.Element == Double { self.scalars = Array(values) }
  /// n copies of `value`.
  @inlinable public init(repeating value: Double, count: Int) {
    self.scalars = [Double](repeating: value, count: count)
  }
  /// The zero vector 0 ∈ ℝⁿ.
  @inlinable public static func zeros(_ n: Int) -> Vector { Vector(repeating: 0, count: n) }
  /// The vector of ones 1 ∈ ℝⁿ.
  @inlinable public static func ones(_ n: Int) -> Vector { Vector(repeating: 1, count: n) }
  /// n points evenly spaced from `start` to `end` inclusive (like numpy's `linspace`).
  public static func linspace(_ start: Double, _ end: Double, count n: Int) -> Vector {
    require(n >= 1, "linspace: count must be positive, got \(n)")
    if n == 1 { return [start] }
    let h = (end - start) / Double(n - 1)
    return Vector((0..<n).map { i in i == n - 1 ? end : start + Double(i) * h })
  }

  /// The dimension n.
  @inlinable public var dimension: Int { scalars.count }

  /// The inner product xᵀy = Σᵢ xᵢyᵢ.
  public func dot(_ y: Vector) -> Double {
    require(count == y.count, "dot product: vector lengths \(count) and \(y.count) differ")
    var s = 0.0
    scalars.withUnsafeBufferPointer { a in
      y.scalars.withUnsafeBufferPointer { b in
        for i in 0..<a.count { s += a[i] * b[i] }
      }
    }
    return s
  }
  /// ‖x‖² = xᵀx.
  public var squaredNorm: Double { dot(self) }
  /// The Euclidean norm ‖x‖₂ (computed without overflow for large entries).
  public var norm: Double {
    let m = scalars.reduce(0) { Swift.max($0, Swift.abs($1)) }
    if m == 0 || !m.isFinite { return m }
    return m * (self / m).squaredNorm.squareRoot()
  }
  /// Σᵢ xᵢ.
  public var sum: Double { scalars.reduce(0, +) }
  /// (1/n) Σᵢ xᵢ.
  public var mean: Double { sum / Double(count) }
  /// The largest entry (−∞ for an empty vector).
  public var max: Double { scalars.max() ?? -.infinity }
  /// The smallest entry (+∞ for an empty vector).
  public var min: Double { scalars.min() ?? .infinity }
  /// The index of the largest entry (first one on ties).
  public var argmax: Int {
    scalars.indices.max { scalars[$0] < scalars[$1] || (scalars[$0] == scalars[$1] && $0 > $1) } ?? 0
  }
  /// Applies `f` to every entry.
  @inlinable public func map(_ f: (Double) throws -> Double) rethrows -> Vector { Vector(try scalars.map(f)) }
}

extension Vector: ExpressibleByArrayLiteral {
  @inlinable public init(arrayLiteral elements: Double...) { self.scalars = elements }
}

extension Vector: RandomAccessCollection, MutableCollection {
  public typealias Index = Int
  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { scalars.count }
  @inlinable public subscript(i: Int) -> Double {
    get { scalars[i] }
    set { scalars[i] = newValue }
  }
}

extension Vector: CustomStringConvertible {
  public var description: String { "[" + scalars.map { formatScalar($0) }.joined(separator: ", ") + "]" }
}

// MARK: - Arithmetic

@inline(__always)
private func checkLengths(_ op: String, _ a: Vector, _ b: Vector) {
  require(a.count == b.count, "vector \(op): lengths \(a.count) and \(b.count) differ")
}

extension Vector {
  @inline(__always)
  static func zipMap(_ a: Vector, _ b: Vector, _ op: String, _ f: (Double, Double) -> Double) -> Vector {
    checkLengths(op, a, b)
    let n = a.count
    return Vector(
      [Double](unsafeUninitializedCapacity: n) { out, count in
        a.scalars.withUnsafeBufferPointer { x in
          b.scalars.withUnsafeBufferPointer { y in
            for i in 0..<n { out[i] = f(x[i], y[i]) }
          }
        }
        count = n
      })
  }
  /// x + y.
  public static func + (a: Vector, b: Vector) -> Vector { zipMap(a, b, "sum") { $0 + $1 } }
  /// x − y.
  public static func - (a: Vector, b: Vector) -> Vector { zipMap(a, b, "difference") { $0 - $1 } }
  /// The elementwise (Hadamard) product x ⊙ y.
  public static func ⊙ (a: Vector, b: Vector) -> Vector { zipMap(a, b, "elementwise product") { $0 * $1 } }
  /// The elementwise quotient xᵢ / yᵢ.
  public static func / (a: Vector, b: Vector) -> Vector { zipMap(a, b, "elementwise quotient") { $0 / $1 } }
  /// −x.
  public static prefix func - (a: Vector) -> Vector { a.map { -$0 } }
  /// αx.
  public static func * (s: Double, a: Vector) -> Vector { a.map { s * $0 } }
  /// xα.
  public static func * (a: Vector, s: Double) -> Vector { a.map { $0 * s } }
  /// x / α.
  public static func / (a: Vector, s: Double) -> Vector { a.map { $0 / s } }
  /// x + α1.
  public static func + (a: Vector, s: Double) -> Vector { a.map { $0 + s } }
  /// x − α1.
  public static func - (a: Vector, s: Double) -> Vector { a.map { $0 - s } }
  public static func += (a: inout Vector, b: Vector) { a = a + b }
  public static func -= (a: inout Vector, b: Vector) { a = a - b }
  public static func *= (a: inout Vector, s: Double) { a = a * s }
  public static func /= (a: inout Vector, s: Double) { a = a / s }
}

/// The elementwise (Hadamard) product, for ``Vector``, ``Matrix`` and ``FloatMatrix``.
infix operator ⊙ : MultiplicationPrecedence

/// Formats a Double compactly for printing: integers without a fraction,
/// otherwise up to 6 significant digits.
func formatScalar(_ x: Double) -> String {
  if x.isNaN { return "nan" }
  if x.isInfinite { return x > 0 ? "inf" : "-inf" }
  if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
  let a = Swift.abs(x)
  if a >= 1e-4 && a < 1e6 {
    var s = String(format: "%.6g", x)
    if s.contains("e") { s = String(format: "%.4e", x) }
    return s
  }
  return String(format: "%.4e", x)
}
