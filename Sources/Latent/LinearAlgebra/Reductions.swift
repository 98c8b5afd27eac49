// Row and column reductions. Conventions: a data matrix X has one observation
// per row, so `columnMeans` is the sample mean x̄ and `covariance` is the
// (population, divide-by-N) sample covariance.

extension Matrix {
  /// Σᵢⱼ Aᵢⱼ.
  public var sum: Double { scalars.reduce(0, +) }
  /// The mean of all entries.
  public var mean: Double { sum / Double(count) }
  /// The largest entry.
  public var max: Double { scalars.max() ?? -.infinity }
  /// The smallest entry.
  public var min: Double { scalars.min() ?? .infinity }
  /// ‖A‖_F = √(Σᵢⱼ Aᵢⱼ²).
  public var frobeniusNorm: Double { Vector(scalars).norm }

  /// The vector of column sums (Σᵢ Aᵢⱼ)ⱼ.
  public var columnSums: Vector {
    var s = [Double](repeating: 0, count: cols)
    let n = cols
    scalars.withUnsafeBufferPointer { a in
      s.withUnsafeMutableBufferPointer { o in
        for i in 0..<rows { for j in 0..<n { o[j] += a[i * n + j] } }
      }
    }
    return Vector(s)
  }
  /// The vector of row sums (Σⱼ Aᵢⱼ)ᵢ.
  public var rowSums: Vector {
    let n = cols
    return Vector((0..<rows).map { i in scalars[(i * n)..<((i + 1) * n)].reduce(0, +) })
  }
  /// The column means x̄ = (1/m) Σᵢ xᵢ.
  public var columnMeans: Vector { columnSums / Double(rows) }
  /// The row means.
  public var rowMeans: Vector { rowSums / Double(cols) }
  /// Per-column variances (1/(m − ddof)) Σᵢ (Xᵢⱼ − x̄ⱼ)², two-pass for accuracy.
  /// `ddof` = 0 (the default) divides by m, as the course's standardisation does.
  public func columnVariances(ddof: Int = 0) -> Vector {
    let c = centered
    return (c ⊙ c).columnSums / Double(rows - ddof)
  }
  /// Per-column standard deviations √(columnVariances(ddof:)).
  public func columnStandardDeviations(ddof: Int = 0) -> Vector { columnVariances(ddof: ddof).map { $0.squareRoot() } }
  /// The sample covariance S = (1/(m − ddof)) (X − x̄)ᵀ(X − x̄) of the rows of X.
  public func covariance(ddof: Int = 0) -> Matrix {
    let c = centered
    return c.transposeTimes(c) / Double(rows - ddof)
  }
  /// Each column centred and divided by its (ddof = 0) standard deviation.
  public var standardized: Matrix {
    var out = centered
    let sd = ((out ⊙ out).columnSums / Double(rows)).map { $0.squareRoot() }
    for i in 0..<rows { for j in 0..<cols { out.scalars[i * cols + j] /= sd[j] } }
    return out
  }
}
