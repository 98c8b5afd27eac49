/// A dense real matrix A ∈ ℝ^(m×n) with value semantics.
///
/// Storage is one row-major `[Double]` (`scalars[i * cols + j]` is Aᵢⱼ), so a
/// data matrix with one observation per row hands its rows to BLAS without
/// copying. Copies happen only when a shared value is mutated (copy-on-write).
///
/// ```swift
/// let A = Matrix([[4, 2], [2, 3]])
/// let x = A.solve([1, 2])          // A⁻¹b by LU
/// let L = try A.cholesky().L        // A = LLᵀ
/// ```
public struct Matrix: Hashable, Sendable, Codable {
  /// Number of rows m.
  public let rows: Int
  /// Number of columns n.
  public let cols: Int
  /// The entries in row-major order: Aᵢⱼ is `scalars[i * cols + j]`.
  public var scalars: [Double]

  /// An m×n matrix with every entry equal to `value` (zero by default).
  public init(rows: Int, cols: Int, repeating value: Double = 0) {
    require(rows >= 0 && cols >= 0, "matrix shape \(rows)x\(cols) is negative")
    self.rows = rows
    self.cols = cols
    self.scalars = [Double](repeating: value, count: rows * cols)
  }

  /// An m×n matrix from row-major entries; `scalars.count` must be m·n.
  public init(rows: Int, cols: Int, scalars: [Double]) {
    require(rows >= 0 && cols >= 0, "matrix shape \(rows)x\(cols) is negative")
    require(
      scalars.count == rows * cols,
      "matrix \(rows)x\(cols) needs \(rows * cols) entries, got \(scalars.count)")
    self.rows = rows
    self.cols = cols
    self.scalars = scalars
  }

  /// An m×n matrix with entries Aᵢⱼ = f(i, j).
  public init(rows: Int, cols: Int, _ f: (_ i: Int, _ j: Int) throws -> Double) rethrows {
    var s = [Double]()
    s.reserveCapacity(rows * cols)
    for i in 0..<rows { for j in 0..<cols { s.append(try f(i, j)) } }
    self.init(rows: rows, cols: cols, scalars: s)
  }

  /// A matrix from its rows: `Matrix([[1, 2], [3, 4]])`. All rows must have the same length.
  public init(_ rowArrays: [[Double]]) {
    let m = rowArrays.count
    let n = rowArrays.first?.count ?? 0
    for (i, r) in rowArrays.enumerated() {
      require(r.count == n, "Matrix(rows): row 0 has \(n) entries but row \(i) has \(r.count)")
    }
    self.init(rows: m, cols: n, scalars: rowArrays.flatMap { $0 })
  }

  /// A matrix whose rows are the given vectors (all of the same length).
  public init(rows rowVectors: [Vector]) { self.init(rowVectors.map(\.scalars)) }

  /// A matrix whose columns are the given vectors (all of the same length).
  public init(columns: [Vector]) { self = Matrix(rows: columns).transposed }

  /// The n×1 matrix of a column vector.
  public init(column v: Vector) { self.init(rows: v.count, cols: 1, scalars: v.scalars) }
  /// The 1×n matrix of a row vector vᵀ.
  public init(row v: Vector) { self.init(rows: 1, cols: v.count, scalars: v.scalars) }

  /// The m×n zero matrix.
  public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }

  /// The n×n identity matrix I.
  public static func identity(_ n: Int) -> Matrix {
    var I = Matrix(rows: n, cols: n)
    for i in 0..<n { I.scalars[i * n + i] = 1 }
    return I
  }

  /// The diagonal matrix diag(v).
  public static func diagonal(_ v: Vector) -> Matrix {
    let n = v.count
    var D = Matrix(rows: n, cols: n)
    for i in 0..<n { D.scalars[i * n + i] = v[i] }
    return D
  }

  /// The shape (m, n).
  @inlinable public var shape: (rows: Int, cols: Int) { (rows, cols) }
  /// "3x2": the shape as it appears in error messages.
  public var shapeDescription: String { "\(rows)x\(cols)" }
  /// Whether m = n.
  @inlinable public var isSquare: Bool { rows == cols }
  /// Total number of entries m·n.
  @inlinable public var count: Int { scalars.count }

  /// The entry Aᵢⱼ (0-based).
  @inlinable public subscript(i: Int, j: Int) -> Double {
    get {
      require(i >= 0 && i < rows && j >= 0 && j < cols, "index (\(i), \(j)) out of range for \(rows)x\(cols) matrix")
      return scalars[i * cols + j]
    }
    set {
      require(i >= 0 && i < rows && j >= 0 && j < cols, "index (\(i), \(j)) out of range for \(rows)x\(cols) matrix")
      scalars[i * cols + j] = newValue
    }
  }

  /// Row i as a vector.
  public func row(_ i: Int) -> Vector {
    require(i >= 0 && i < rows, "row \(i) out of range for \(rows)x\(cols) matrix")
    return Vector(scalars[(i * cols)..<((i + 1) * cols)])
  }
  /// Column j as a vector.
  public func column(_ j: Int) -> Vector {
    require(j >= 0 && j < cols, "column \(j) out of range for \(rows)x\(cols) matrix")
    return Vector((0..<rows).map { scalars[$0 * cols + j] })
  }
  /// Replaces row i.
  public mutating func setRow(_ i: Int, to v: Vector) {
    require(i >= 0 && i < rows, "row \(i) out of range for \(rows)x\(cols) matrix")
    require(v.count == cols, "setRow: \(rows)x\(cols) matrix needs a vector of length \(cols), got \(v.count)")
    scalars.replaceSubrange((i * cols)..<((i + 1) * cols), with: v.scalars)
  }
  /// Replaces column j.
  public mutating func setColumn(_ j: Int, to v: Vector) {
    require(j >= 0 && j < cols, "column \(j) out of range for \(rows)x\(cols) matrix")
    require(v.count == rows, "setColumn: \(rows)x\(cols) matrix needs a vector of length \(rows), got \(v.count)")
    for i in 0..<rows { scalars[i * cols + j] = v[i] }
  }
  /// The rows in `range` as a new matrix (a minibatch of consecutive rows).
  public func rows(_ range: Range<Int>) -> Matrix {
    require(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) out of range for \(rows)x\(cols) matrix")
    return Matrix(
      rows: range.count, cols: cols, scalars: Array(scalars[(range.lowerBound * cols)..<(range.upperBound * cols)]))
  }
  /// The rows at `indices`, in that order (a minibatch gathered by index).
  public func rows(at indices: [Int]) -> Matrix {
    var out = [Double]()
    out.reserveCapacity(indices.count * cols)
    for i in indices {
      require(i >= 0 && i < rows, "row \(i) out of range for \(rows)x\(cols) matrix")
      out.append(contentsOf: scalars[(i * cols)..<((i + 1) * cols)])
    }
    return Matrix(rows: indices.count, cols: cols, scalars: out)
  }
  /// The columns at `indices`, in that order.
  public func columns(at indices: [Int]) -> Matrix {
    for j in indices { require(j >= 0 && j < cols, "column \(j) out of range for \(rows)x\(cols) matrix") }
    return Matrix(rows: rows, cols: indices.count) { i, k in scalars[i * cols + indices[k]] }
  }
  /// The rows as vectors.
  public var rowVectors: [Vector] { (0..<rows).map(row) }
  /// The columns as vectors.
  public var columnVectors: [Vector] { (0..<cols).map(column) }
  /// The rows as arrays (e.g. for printing or plotting).
  public var array: [[Double]] { (0..<rows).map { Array(scalars[($0 * cols)..<(($0 + 1) * cols)]) } }

  /// The transpose Aᵀ (a copy, blocked for cache efficiency).
  public var transposed: Matrix { blockedTranspose() }
  /// Aᵀ, spelled as on the page.
  public var T: Matrix { transposed }

  /// The main diagonal (A₀₀, A₁₁, …) as a vector.
  public var diagonal: Vector { Vector((0..<Swift.min(rows, cols)).map { scalars[$0 * cols + $0] }) }
  /// tr A = Σᵢ Aᵢᵢ.
  public var trace: Double { diagonal.sum }

  /// Applies `f` to every entry.
  public func map(_ f: (Double) throws -> Double) rethrows -> Matrix {
    Matrix(rows: rows, cols: cols, scalars: try scalars.map(f))
  }

  /// Whether all entries are within `tolerance` of `other`'s (same shape required).
  public func isApproximatelyEqual(to other: Matrix, tolerance: Double = 1e-12) -> Bool {
    guard rows == other.rows, cols == other.cols else { return false }
    for k in 0..<scalars.count where !(Swift.abs(scalars[k] - other.scalars[k]) <= tolerance) { return false }
    return true
  }
}

extension Matrix: CustomStringConvertible {
  /// Aligned columns, 6 significant digits; large matrices show their corners
  /// with `…`, as numpy does.
  public var description: String {
    let maxShown = 8
    func picks(_ n: Int) -> [Int?] {
      n <= maxShown ? Array(0..<n) : Array(0..<(maxShown / 2)) + [nil] + Array((n - maxShown / 2)..<n)
    }
    let rs = picks(rows), cs = picks(cols)
    var cells: [[String]] = rs.map { i in
      cs.map { j in
        guard let i, let j else { return "…" }
        return formatScalar(scalars[i * cols + j])
      }
    }
    if cells.isEmpty { return "\(rows)x\(cols) matrix []" }
    var widths = [Int](repeating: 0, count: cs.count)
    for r in cells { for (k, c) in r.enumerated() { widths[k] = Swift.max(widths[k], c.count) } }
    cells = cells.map { r in r.enumerated().map { k, c in String(repeating: " ", count: widths[k] - c.count) + c } }
    let lines = cells.enumerated().map { (k, r) -> String in
      let open = rows == 1 ? "[" : (k == 0 ? "⎡" : (k == cells.count - 1 ? "⎣" : "⎢"))
      let close = rows == 1 ? "]" : (k == 0 ? "⎤" : (k == cells.count - 1 ? "⎦" : "⎥"))
      return open + " " + r.joined(separator: "  ") + " " + close
    }
    let header = (rows > maxShown || cols > maxShown) ? "\(rows)x\(cols) matrix\n" : ""
    return header + lines.joined(separator: "\n")
  }
}
