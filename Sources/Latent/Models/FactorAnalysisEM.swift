import Foundation

// The EM steps on the rows of a data matrix: the exact posterior (E-step), the parameter
// update (M-step), and the evidence lower bound they ascend. ``FactorAnalysis/fit(_:iterations:tolerance:)``
// runs the same iteration on the sufficient statistic S instead (FactorAnalysisMomentEM.swift).

extension FactorAnalysis {
  /// The posterior q(zₙ) = p(zₙ | xₙ) = 𝒩(mₙ, G) of every row, as computed by ``eStep(_:)``.
  public struct Posterior: Sendable, Codable {
    /// Row n is the posterior mean mₙ = E[zₙ] (an N×q matrix).
    public let means: Matrix
    /// G, the posterior covariance, the same for every observation (q×q).
    public let covariance: Matrix

    /// E[zₙ].
    public func mean(_ n: Int) -> Vector { means.row(n) }
    /// E[zₙzₙᵀ] = G + E[zₙ]E[zₙ]ᵀ.
    public func secondMoment(_ n: Int) -> Matrix { covariance + Matrix.outer(means.row(n), means.row(n)) }
    /// (1/N) Σₙ E[zₙzₙᵀ] = G + (1/N) MᵀM with M the matrix of means.
    public var averageSecondMoment: Matrix { covariance + means.transposeTimes(means) / Double(means.rows) }
  }

  /// The E-step: the exact posterior over the factors of each row of X,
  ///
  ///     G = (I + WᵀΨ⁻¹W)⁻¹,   E[zₙ] = G WᵀΨ⁻¹ (xₙ − μ).
  ///
  /// G is the inverse of a q×q matrix, taken from its Cholesky factor.
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature, the parameters are
  ///   invalid (see ``init(mean:loadings:uniquenesses:)``) or I + WᵀΨ⁻¹W cannot be factored.
  public func eStep(_ X: Matrix) throws -> Posterior { try eStep(X, as: Self.modelName) }

  /// ``eStep(_:)`` with errors naming `model`.
  func eStep(_ X: Matrix, as model: String) throws -> Posterior {
    try validate(X, as: model)
    let B = try scaledRows(loadings, by: uniquenesses.map { 1 / $0 })  // Ψ⁻¹W
    let M = Matrix.identity(factorCount) + loadings.transposeTimes(B)
    let chol = try factor(M, "I + WᵀΨ⁻¹W (\(M.shapeDescription))", model: model)
    let means = chol.solve(((X - mean) * B).transposed).transposed  // rows G Wᵀ Ψ⁻¹ x̃ₙ
    return Posterior(means: means, covariance: chol.inverse)
  }

  /// The M-step: given the posterior moments, maximizes the expected complete-data log-likelihood
  ///
  ///     W ← (Σₙ x̃ₙ mₙᵀ)(Σₙ E[zₙzₙᵀ])⁻¹,   ψᵢ ← (S_μ)ᵢᵢ − Σₖ Wᵢₖ ((1/N) Σₙ x̃ₙ mₙᵀ)ᵢₖ,
  ///
  /// using the *new* W in the second formula. The q×q system is solved by Cholesky.
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature, the posterior's shapes
  ///   do not fit X and the model (it must come from ``eStep(_:)`` on the same X), the
  ///   parameters are invalid, or (1/N) Σₙ E[zₙzₙᵀ] cannot be factored.
  public mutating func mStep(_ X: Matrix, _ posterior: Posterior) throws {
    try mStep(X, posterior, noise: .perFeature, as: Self.modelName)
  }

  /// The M-step with a choice of noise update (PPCA shares one σ² across features).
  mutating func mStep(_ X: Matrix, _ posterior: Posterior, noise: NoiseUpdate, as model: String) throws {
    try validate(X, posterior, operation: "mStep", as: model)
    let Xc = X - mean
    let n = Double(X.rows)
    let cross = Xc.transposeTimes(posterior.means) / n  // (1/N) Σ x̃ₙ mₙᵀ, d×q
    let Sdiag = (Xc ⊙ Xc).columnSums / n
    (loadings, uniquenesses) = try FactorAnalysis.mStepUpdate(
      cross: cross, secondMoment: posterior.averageSecondMoment, Sdiag: Sdiag, psi: uniquenesses, noise: noise,
      model: model)
  }

  /// The evidence lower bound Σₙ ELBO(qₙ) = Σₙ { E_q[log p(xₙ | zₙ)] + E_q[log p(zₙ)] + H[qₙ] }
  /// of the current parameters for the Gaussian posteriors qₙ = 𝒩(mₙ, G) (from any E-step):
  ///
  ///     E_q[log p(x|z)] = −½ [ d log 2π + Σᵢ log ψᵢ + E_q (x̃ − Wz)ᵀΨ⁻¹(x̃ − Wz) ],
  ///     E_q[log p(z)]   = −½ [ q log 2π + tr E[zzᵀ] ],    H[q] = ½ [ q (1 + log 2π) + log det G ].
  ///
  /// It equals ``logLikelihood(_:)`` − Σₙ KL(qₙ ‖ p(zₙ | xₙ)); right after an E-step the
  /// KL terms are zero and the bound is tight.
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature, the posterior's shapes
  ///   do not fit X and the model, the parameters are invalid, or G is not positive definite.
  public func elbo(_ X: Matrix, _ posterior: Posterior) throws -> Double {
    try elbo(X, posterior, as: Self.modelName)
  }

  /// ``elbo(_:_:)`` with errors naming `model`.
  func elbo(_ X: Matrix, _ posterior: Posterior, as model: String) throws -> Double {
    try validate(X, posterior, operation: "elbo", as: model)
    let q = factorCount, d = featureCount
    let Xc = X - mean
    let n = Double(X.rows)
    let Sdiag = (Xc ⊙ Xc).columnSums / n
    let cross = Xc.transposeTimes(posterior.means) / n
    let Ezz = posterior.averageSecondMoment
    let psiInv = uniquenesses.map { 1 / $0 }
    let B = try scaledRows(loadings, by: psiInv)
    // (1/N) Σₙ E (x̃ₙ − Wz)ᵀΨ⁻¹(x̃ₙ − Wz) = tr(Ψ⁻¹S) − 2 tr(Ψ⁻¹ W crossᵀ) + tr(WᵀΨ⁻¹W E[zzᵀ])
    let quadratic = Sdiag.dot(psiInv) - 2 * (B ⊙ cross).sum + (loadings.transposeTimes(B) ⊙ Ezz).sum
    let G = posterior.covariance
    let logDetG = try factor(G, "the posterior covariance G (\(G.shapeDescription))", model: model).logDeterminant
    let sumLogPsi = uniquenesses.reduce(0) { $0 + Foundation.log($1) }
    let perSample =
      -0.5 * (Double(d) * logTwoPi + sumLogPsi + quadratic)  // E log p(x|z)
      - 0.5 * Ezz.trace + 0.5 * Double(q) + 0.5 * logDetG  // E log p(z) + H, log 2π cancels
    return n * perSample
  }

  /// ``validate(_:as:)``, and the posterior has N×q means and a q×q covariance.
  func validate(_ X: Matrix, _ posterior: Posterior, operation: String, as model: String) throws {
    try validate(X, as: model)
    let q = factorCount
    let (means, G) = (posterior.means, posterior.covariance)
    guard means.rows == X.rows && means.cols == q && G.rows == q && G.cols == q else {
      throw ModelError.posteriorShapeMismatch(
        model: model, operation: operation, means: means.shapeDescription, covariance: G.shapeDescription,
        samples: X.rows, latent: q)
    }
  }
}
