import Foundation

// MARK: - Rotation for interpretation

extension FactorAnalysis {
  /// The same model with loadings W R (R orthogonal q×q): an equally good fit, since
  /// (WR)(WR)ᵀ = WWᵀ. This is why W itself is not identified.
  ///
  /// - Throws: ``ModelError`` unless R is q×q, or if the parameters are invalid (see
  ///   ``init(mean:loadings:uniquenesses:)``).
  public func rotated(by R: Matrix) throws -> FactorAnalysis {
    try validateParameters(as: Self.modelName)
    guard R.rows == factorCount && R.cols == factorCount else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "rotated(by:) needs a \(factorCount)x\(factorCount) matrix (one row and column per factor) "
          + "for loadings \(loadings.shapeDescription), got \(R.shapeDescription)")
    }
    return try FactorAnalysis(mean: mean, loadings: loadings * R, uniquenesses: uniquenesses)
  }

  /// The varimax rotation (Kaiser 1958) of the loadings: the orthogonal R that maximizes the
  /// variance of the squared (Kaiser-normalized) loadings within each column,
  ///
  ///     max_R Σₖ [ (1/d) Σᵢ Λᵢₖ⁴ − ((1/d) Σᵢ Λᵢₖ²)² ],   Λ = diag(h)^(−1/2) W R,
  ///
  /// so that each factor loads strongly on a few features and weakly on the rest. The
  /// likelihood is unchanged (see ``rotated(by:)``). Solved by the usual SVD iteration
  /// R ← UVᵀ with UΣVᵀ = Wᵀ(Λ³ − Λ diag(1ᵀΛ²)/d). For a deterministic result each rotated
  /// column is then signed so its entries sum to a positive number, and the columns are sorted
  /// by decreasing sum of squared loadings. The iteration stops when no entry of R changes by
  /// more than `tolerance`.
  /// - Returns: the rotated model and R (with W_rotated = W R).
  /// - Throws: ``ModelError`` if the parameters are invalid (see ``init(mean:loadings:uniquenesses:)``);
  ///   `LinearAlgebraError` if an SVD fails.
  public func varimax(iterations: Int = 500, tolerance: Double = 1e-12) throws -> (
    model: FactorAnalysis, rotation: Matrix
  ) {
    try validateParameters(as: Self.modelName)
    let d = featureCount, q = factorCount
    let h = communalities.map { Swift.max($0, 1e-300).squareRoot() }
    let A = try scaledRows(loadings, by: h.map { 1 / $0 })  // Kaiser normalization
    var R = Matrix.identity(q)
    for _ in 0..<iterations {
      let L = A * R
      let colSq = (L ⊙ L).columnSums / Double(d)
      var T = L ⊙ L ⊙ L
      for i in 0..<d { for k in 0..<q { T.scalars[i * q + k] -= L.scalars[i * q + k] * colSq[k] } }
      let svd = try A.transposeTimes(T).svd()
      let next = svd.U * svd.Vt
      let change = (next - R).map(Swift.abs).max
      R = next
      if change < tolerance { break }
    }
    // Deterministic signs and order.
    var W = loadings * R
    for k in 0..<q where W.column(k).sum < 0 {
      for i in 0..<d { W.scalars[i * q + k] = -W.scalars[i * q + k] }
      for i in 0..<q { R.scalars[i * q + k] = -R.scalars[i * q + k] }
    }
    let order = (0..<q).sorted { W.column($0).squaredNorm > W.column($1).squaredNorm }
    W = W.columns(at: order)
    R = R.columns(at: order)
    return (try FactorAnalysis(mean: mean, loadings: W, uniquenesses: uniquenesses), R)
  }
}
