import Foundation

// MARK: - The EM kernel on sufficient statistics (shared with ProbabilisticPCA)

extension FactorAnalysis {
  /// Everything an E-step at (W, ψ) yields from the second moments S.
  struct MomentEStep {
    /// G = M⁻¹ with M = I + WᵀΨ⁻¹W.
    let G: Matrix
    /// Sβᵀ with β = G WᵀΨ⁻¹: the average cross moment (1/N) Σₙ x̃ₙ E[zₙ]ᵀ (d×q).
    let cross: Matrix
    /// β S βᵀ = (1/N) Σₙ E[zₙ]E[zₙ]ᵀ (q×q).
    let meanOuter: Matrix
    /// (1/N) log p(X) at (W, ψ).
    let averageLogLikelihood: Double
  }

  /// The E-step on moments, and the average log-likelihood at the same parameters:
  ///
  ///     (1/N) log p(X) = −½ [ d log 2π + Σᵢ log ψᵢ + log det M + Σᵢ Sᵢᵢ/ψᵢ − tr(β S Ψ⁻¹W) ].
  ///
  /// - Throws: ``ModelError/factorizationFailed(model:matrix:underlying:)`` (naming `model`) if M
  ///   cannot be factored; `LinearAlgebraError` if the shapes of W, ψ and S disagree.
  static func momentEStep(W: Matrix, psi: Vector, S: Matrix, model: String) throws -> MomentEStep {
    let d = W.rows, q = W.cols
    let B = try scaledRows(W, by: psi.map { 1 / $0 })  // Ψ⁻¹W, d×q
    let M = Matrix.identity(q) + W.transposeTimes(B)
    let chol = try factor(M, "I + WᵀΨ⁻¹W (\(M.shapeDescription))", model: model)
    let beta = chol.solve(B.transposed)  // β = M⁻¹WᵀΨ⁻¹, q×d
    let cross = S.timesTranspose(beta)  // Sβᵀ, d×q
    let meanOuter = beta * cross  // βSβᵀ, q×q
    var sumLogPsi = 0.0, traceTerm = 0.0
    for i in 0..<d {
      sumLogPsi += Foundation.log(psi[i])
      traceTerm += S.scalars[i * d + i] / psi[i]
    }
    traceTerm -= (cross ⊙ B).sum  // Woodbury: tr(C⁻¹S)
    let ll = -0.5 * (Double(d) * logTwoPi + sumLogPsi + chol.logDeterminant + traceTerm)
    return MomentEStep(G: chol.inverse, cross: cross, meanOuter: meanOuter, averageLogLikelihood: ll)
  }

  /// How an M-step updates the noise variances.
  enum NoiseUpdate {
    /// Factor analysis: one ψᵢ per feature.
    case perFeature
    /// PPCA: all ψᵢ replaced by their mean σ² = (1/d) tr(S − W crossᵀ).
    case shared
    /// σ² held where it is (EM for W alone; Roweis's EM for PCA as σ² → 0).
    case fixed
  }

  /// The M-step from averaged moments: W = cross · E⁻¹ with E = (1/N) Σ E[zzᵀ] (by Cholesky),
  /// ψᵢ = Sᵢᵢ − Σₖ Wᵢₖ crossᵢₖ, floored at ``uniquenessFloor`` · Sᵢᵢ (or shared, or kept; see
  /// ``NoiseUpdate``).
  ///
  /// - Throws: ``ModelError/factorizationFailed(model:matrix:underlying:)`` (naming `model`) if E
  ///   is not positive definite.
  static func mStepUpdate(
    cross: Matrix, secondMoment Ezz: Matrix, Sdiag: Vector, psi current: Vector, noise: NoiseUpdate, model: String
  ) throws -> (Matrix, Vector) {
    let d = cross.rows, q = cross.cols
    let E = try factor(
      Ezz, "the average posterior second moment (1/N) Σₙ E[zₙzₙᵀ] (\(Ezz.shapeDescription))", model: model)
    let W = E.solve(cross.transposed).transposed  // cross · Ezz⁻¹
    if noise == .fixed { return (W, current) }
    var psi = Vector.zeros(d)
    for i in 0..<d {
      var s = 0.0
      for k in 0..<q { s += W.scalars[i * q + k] * cross.scalars[i * q + k] }
      psi[i] = Sdiag[i] - s
    }
    if noise == .shared {
      let floor = uniquenessFloor * Sdiag.mean
      psi = Vector(repeating: Swift.max(psi.mean, floor), count: d)
    } else {
      for i in 0..<d { psi[i] = Swift.max(psi[i], uniquenessFloor * Sdiag[i]) }
    }
    return (W, psi)
  }

  /// EM on moments; see ``fit(_:iterations:tolerance:)`` for the history convention.
  ///
  /// - Throws: as ``momentEStep(W:psi:S:model:)`` and ``mStepUpdate(cross:secondMoment:Sdiag:psi:noise:model:)``.
  static func runEM(
    W: inout Matrix, psi: inout Vector, S: Matrix, noise: NoiseUpdate,
    iterations: Int, tolerance: Double, model: String
  ) throws -> [Double] {
    let Sdiag = S.diagonal
    var history: [Double] = []
    history.reserveCapacity(Swift.min(iterations, 100_000) + 1)
    var k = 0
    while true {
      let e = try momentEStep(W: W, psi: psi, S: S, model: model)
      history.append(e.averageLogLikelihood)
      let n = history.count
      if tolerance > 0 && n >= 2 && history[n - 1] - history[n - 2] < tolerance { break }
      if k == iterations { break }
      (W, psi) = try mStepUpdate(
        cross: e.cross, secondMoment: e.G + e.meanOuter, Sdiag: Sdiag, psi: psi, noise: noise, model: model)
      k += 1
    }
    return history
  }
}

/// The Cholesky factor of a q×q matrix the model needs, with a failure reported as
/// ``ModelError/factorizationFailed(model:matrix:underlying:)`` naming the matrix.
func factor(_ A: Matrix, _ name: @autoclosure () -> String, model: String) throws -> Cholesky {
  do { return try A.cholesky() } catch let error as LinearAlgebraError {
    throw ModelError.factorizationFailed(model: model, matrix: name(), underlying: error)
  }
}
