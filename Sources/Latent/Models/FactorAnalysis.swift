import Foundation

/// Linear-Gaussian factor analysis, fitted by expectation–maximization.
///
/// **Model.** An observation x ∈ ℝᵈ is generated from q < d latent factors:
///
///     z ~ 𝒩(0, I_q),   x | z ~ 𝒩(Wz + μ, Ψ),   Ψ = diag(ψ₁, …, ψ_d),
///
/// so that marginally x ~ 𝒩(μ, C) with C = WWᵀ + Ψ. The d×q matrix W holds the
/// *loadings*, ψ the *uniquenesses* (the variance of each feature that the factors
/// do not explain). W is identified only up to rotation: W R with RRᵀ = I gives the
/// same C and therefore the same likelihood.
///
/// **EM.** With q(z) the exact posterior (E-step) and the expected complete-data
/// log-likelihood maximized in W and Ψ (M-step):
///
///     G = (I + WᵀΨ⁻¹W)⁻¹,   E[zₙ] = G WᵀΨ⁻¹(xₙ − μ),   E[zₙzₙᵀ] = G + E[zₙ]E[zₙ]ᵀ,
///     W ← (Σₙ x̃ₙ E[zₙ]ᵀ)(Σₙ E[zₙzₙᵀ])⁻¹,   Ψ ← diag( (1/N) Σₙ x̃ₙx̃ₙᵀ − W (1/N) Σₙ E[zₙ] x̃ₙᵀ ),
///
/// with x̃ₙ = xₙ − μ. The ML estimate of μ is the sample mean x̄ in closed form; EM leaves it fixed.
///
/// **Numerics.** Nothing d×d is ever inverted. The only factorization is the Cholesky
/// factor of the q×q matrix M = I + WᵀΨ⁻¹W; the log-determinant uses the matrix
/// determinant lemma log det C = Σᵢ log ψᵢ + log det M, and C⁻¹ is applied through the
/// Woodbury identity C⁻¹ = Ψ⁻¹ − Ψ⁻¹W M⁻¹ WᵀΨ⁻¹. All of ``fit(_:iterations:tolerance:)``
/// runs on the sufficient statistic S = (1/N) Σₙ x̃ₙx̃ₙᵀ, so an iteration costs O(d²q)
/// whatever N is. Uniquenesses are kept at or above ``uniquenessFloor`` · Sᵢᵢ, which
/// prevents a Heywood case (ψᵢ → 0) from making C singular; since the M-step objective is
/// unimodal in each ψᵢ, the clamped value is still the constrained maximizer and EM stays monotone.
///
/// ```swift
/// var fa = try FactorAnalysis(data: X, factors: 2)   // PPCA closed form as the start
/// let history = try fa.fit(X)                         // average log-likelihood per iteration
/// print(fa.loadings, fa.uniquenesses)
/// ```
public struct FactorAnalysis: Sendable, Codable {
  /// μ ∈ ℝᵈ, the mean of x.
  public var mean: Vector
  /// W ∈ ℝ^(d×q), the factor loadings.
  public var loadings: Matrix
  /// ψ ∈ ℝᵈ, the diagonal of Ψ: the noise variance of each feature.
  public var uniquenesses: Vector

  /// The smallest uniqueness EM allows, as a fraction of the feature's variance Sᵢᵢ.
  public static let uniquenessFloor = 1e-6

  /// The name errors give the model.
  static let modelName = "FactorAnalysis"

  /// A model with the given parameters (ψ must be positive).
  ///
  /// - Throws: ``ModelError`` unless μ, ψ and the rows of W agree on the number of features,
  ///   every ψᵢ is positive and finite and μ and W are finite.
  public init(mean: Vector, loadings: Matrix, uniquenesses: Vector) throws {
    self.mean = mean
    self.loadings = loadings
    self.uniquenesses = uniquenesses
    try validateParameters(as: Self.modelName)
  }

  /// The number of observed features d.
  public var featureCount: Int { mean.count }
  /// The number of factors q.
  public var factorCount: Int { loadings.cols }
  /// The marginal covariance C = WWᵀ + Ψ.
  public var covariance: Matrix { loadings.timesTranspose(loadings) + Matrix.diagonal(uniquenesses) }
  /// The communalities hᵢ = Σₖ Wᵢₖ², the variance of feature i explained by the factors
  /// (invariant under rotations of W).
  public var communalities: Vector { Vector((0..<featureCount).map { i in loadings.row(i).squaredNorm }) }

  // MARK: - Likelihood

  /// The log-likelihood log p(X) = Σₙ log 𝒩(xₙ; μ, C) of the rows of X, computed as
  ///
  ///     −(N/2) [ d log 2π + log det C + tr(C⁻¹ S_μ) ],   S_μ = (1/N) Σₙ (xₙ − μ)(xₙ − μ)ᵀ,
  ///
  /// with log det C by the determinant lemma and tr(C⁻¹S_μ) by Woodbury (q×q Cholesky only).
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature or the parameters are
  ///   invalid (see ``init(mean:loadings:uniquenesses:)``).
  public func logLikelihood(_ X: Matrix) throws -> Double {
    Double(X.rows) * (try averageLogLikelihood(X, as: Self.modelName))
  }

  /// (1/N) log p(X), the average log-likelihood per observation (the number EM's history records).
  ///
  /// - Throws: ``ModelError``, as ``logLikelihood(_:)``.
  public func averageLogLikelihood(_ X: Matrix) throws -> Double {
    try averageLogLikelihood(X, as: Self.modelName)
  }

  /// ``averageLogLikelihood(_:)`` with errors naming `model`.
  func averageLogLikelihood(_ X: Matrix, as model: String) throws -> Double {
    try validate(X, as: model)
    let S = secondMoments(X, about: mean)
    return try FactorAnalysis.momentEStep(W: loadings, psi: uniquenesses, S: S, model: model).averageLogLikelihood
  }

  // MARK: - Validation

  /// Checks what every computation with the parameters needs: μ, ψ and the rows of W agree
  /// on d, μ and W are finite, and every ψᵢ is positive and finite. (The properties are
  /// mutable and decodable, so the initializer alone cannot promise this.)
  func validateParameters(as model: String) throws {
    guard loadings.rows == mean.count && uniquenesses.count == mean.count else {
      throw ModelError.parameterShapeMismatch(
        model: model, meanLength: mean.count, loadingsRows: loadings.rows, loadingsColumns: loadings.cols,
        noiseCount: uniquenesses.count)
    }
    if let i = uniquenesses.scalars.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
      throw ModelError.invalidNoiseVariance(model: model, index: i, value: uniquenesses[i])
    }
    try validateFinite(mean, parameter: "mean", model: model)
    try validateFinite(loadings, parameter: "loadings", model: model)
  }

  /// ``validateParameters(as:)``, and X has one column per feature.
  func validate(_ X: Matrix, as model: String) throws {
    try validateParameters(as: model)
    guard X.cols == featureCount else {
      throw ModelError.featureCountMismatch(model: model, expected: featureCount, got: X.cols)
    }
  }
}
