import Foundation

/// Probabilistic principal component analysis (Tipping & Bishop 1999): factor analysis
/// with isotropic noise Ψ = σ²I,
///
///     z ~ 𝒩(0, I_q),   x | z ~ 𝒩(Wz + μ, σ²I),   x ~ 𝒩(μ, C),  C = WWᵀ + σ²I.
///
/// **Closed form.** With S = U diag(λ) Uᵀ the (divide-by-N) sample covariance,
/// λ₁ ≥ … ≥ λ_d, the likelihood is maximized by
///
///     μ = x̄,   σ² = (1/(d − q)) Σ_{j>q} λⱼ,   W = U_q (Λ_q − σ²I)^{1/2} R
///
/// for any orthogonal R (``maximumLikelihood(_:components:)`` takes R = I).
///
/// **EM.** The E-step is that of ``FactorAnalysis`` with Ψ = σ²I; the M-step updates W
/// exactly as there and sets σ² to the mean of factor analysis's ψᵢ update,
/// σ² ← (1/d) tr(S − W_new (1/N) Σₙ E[zₙ] x̃ₙᵀ). Everything runs through the q×q matrix
/// M = I + WᵀW/σ² (Cholesky), never a d×d inverse.
public struct ProbabilisticPCA: Sendable, Codable {
  /// μ ∈ ℝᵈ.
  public var mean: Vector
  /// W ∈ ℝ^(d×q).
  public var loadings: Matrix
  /// σ² > 0, the variance of the isotropic noise.
  public var noiseVariance: Double

  /// The name errors give the model.
  static let modelName = "ProbabilisticPCA"

  /// A model with the given parameters.
  ///
  /// - Throws: ``ModelError`` unless W has one row per entry of μ, σ² is positive and finite,
  ///   and μ and W are finite.
  public init(mean: Vector, loadings: Matrix, noiseVariance: Double) throws {
    self.mean = mean
    self.loadings = loadings
    self.noiseVariance = noiseVariance
    try validateParameters()
  }

  /// A deterministic random starting point for EM: μ = x̄, W with independent 𝒩(0, 1)
  /// entries drawn from `SeededGenerator(seed:)`, σ² = tr(S)/d.
  ///
  /// - Throws: ``ModelError`` for q ∉ [1, d), fewer than 2 rows, NaN/∞ entries or a constant column.
  public init(data X: Matrix, components q: Int, seed: UInt64) throws {
    try validateLatentDimension(q, features: X.cols, model: Self.modelName)
    try validateData(X, model: Self.modelName)
    var rng = SeededGenerator(seed: seed)
    let mu = X.columnMeans
    let S = secondMoments(X, about: mu)
    try self.init(
      mean: mu, loadings: rng.normalMatrix(rows: X.cols, cols: q), noiseVariance: S.trace / Double(X.cols))
  }

  /// The closed-form maximum-likelihood PPCA of the rows of X (S divides by N).
  /// - Throws: ``ModelError`` for q ∉ [1, d), fewer than 2 rows, NaN/∞ entries or a constant column.
  public static func maximumLikelihood(_ X: Matrix, components q: Int) throws -> ProbabilisticPCA {
    try validateLatentDimension(q, features: X.cols, model: Self.modelName)
    try validateData(X, model: Self.modelName)
    let mu = X.columnMeans
    return try maximumLikelihood(mean: mu, covariance: secondMoments(X, about: mu), components: q)
  }

  /// The Tipping–Bishop solution for a given mean and covariance matrix S:
  /// σ² = mean of the d − q smallest eigenvalues of S, W = U_q (Λ_q − σ²I)^{1/2}.
  ///
  /// It maximizes the likelihood exactly when S is the divide-by-N covariance about μ;
  /// passing another S (e.g. `X.covariance(ddof: 1)`) gives the corresponding plug-in estimate.
  /// Eigenvectors follow ``SymmetricEigendecomposition``'s sign convention, so W is deterministic.
  ///
  /// - Throws: ``ModelError`` if S is not d×d for the d of μ, q ∉ [1, d), or the d − q smallest
  ///   eigenvalues are all zero; `LinearAlgebraError` if the eigendecomposition fails.
  public static func maximumLikelihood(mean: Vector, covariance S: Matrix, components q: Int) throws -> ProbabilisticPCA
  {
    guard S.rows == mean.count && S.cols == mean.count else {
      throw ModelError.featureCountMismatch(model: Self.modelName, expected: mean.count, got: S.cols)
    }
    let d = S.rows
    try validateLatentDimension(q, features: d, model: Self.modelName)
    let eig = try S.symmetricEigen()
    let sigma2 = eig.values.scalars[q...].reduce(0, +) / Double(d - q)
    guard sigma2 > 0 else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message:
          "the \(d - q) smallest eigenvalues of the covariance are all zero; the data lies in a \(q)-dimensional subspace"
      )
    }
    var W = Matrix(rows: d, cols: q)
    for k in 0..<q {
      let scale = Swift.max(eig.values[k] - sigma2, 0).squareRoot()
      for i in 0..<d { W.scalars[i * q + k] = eig.vectors.scalars[i * d + k] * scale }
    }
    return try ProbabilisticPCA(mean: mean, loadings: W, noiseVariance: sigma2)
  }

  /// The number of observed features d.
  public var featureCount: Int { mean.count }
  /// The number of components q.
  public var componentCount: Int { loadings.cols }
  /// C = WWᵀ + σ²I.
  public var covariance: Matrix { loadings.timesTranspose(loadings) + noiseVariance * Matrix.identity(featureCount) }
  /// The same model viewed as factor analysis with Ψ = σ²I.
  ///
  /// - Throws: ``ModelError`` if the parameters are invalid (see ``init(mean:loadings:noiseVariance:)``).
  public var asFactorAnalysis: FactorAnalysis {
    get throws {
      try validateParameters()
      return try FactorAnalysis(
        mean: mean, loadings: loadings, uniquenesses: Vector(repeating: noiseVariance, count: featureCount))
    }
  }

  /// log p(X) = Σₙ log 𝒩(xₙ; μ, WWᵀ + σ²I), via the q×q matrix M (see ``FactorAnalysis/logLikelihood(_:)``).
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature or the parameters are
  ///   invalid (see ``init(mean:loadings:noiseVariance:)``).
  public func logLikelihood(_ X: Matrix) throws -> Double {
    Double(X.rows) * (try averageLogLikelihood(X))
  }
  /// (1/N) log p(X).
  ///
  /// - Throws: ``ModelError``, as ``logLikelihood(_:)``.
  public func averageLogLikelihood(_ X: Matrix) throws -> Double {
    try asFactorAnalysis.averageLogLikelihood(X, as: Self.modelName)
  }

  /// The E-step: q(zₙ) = 𝒩(mₙ, G) with G = σ²(σ²I + WᵀW)⁻¹ and mₙ = (σ²I + WᵀW)⁻¹Wᵀ(xₙ − μ).
  /// As σ² → 0, mₙ → (WᵀW)⁻¹Wᵀ(xₙ − μ), the orthogonal projection of PCA.
  ///
  /// - Throws: ``ModelError``, as ``FactorAnalysis/eStep(_:)``.
  public func eStep(_ X: Matrix) throws -> FactorAnalysis.Posterior {
    try asFactorAnalysis.eStep(X, as: Self.modelName)
  }

  /// The M-step: W as in factor analysis, σ² ← (1/d) Σᵢ [ (S_μ)ᵢᵢ − Σₖ Wᵢₖ ((1/N) Σₙ x̃ₙ mₙᵀ)ᵢₖ ].
  ///
  /// - Throws: ``ModelError``, as ``FactorAnalysis/mStep(_:_:)``.
  public mutating func mStep(_ X: Matrix, _ posterior: FactorAnalysis.Posterior) throws {
    var fa = try asFactorAnalysis
    try fa.mStep(X, posterior, noise: .shared, as: Self.modelName)
    loadings = fa.loadings
    noiseVariance = fa.uniquenesses[0]
  }

  /// The evidence lower bound for posteriors qₙ = 𝒩(mₙ, G) (see ``FactorAnalysis/elbo(_:_:)``).
  ///
  /// - Throws: ``ModelError``, as ``FactorAnalysis/elbo(_:_:)``.
  public func elbo(_ X: Matrix, _ posterior: FactorAnalysis.Posterior) throws -> Double {
    try asFactorAnalysis.elbo(X, posterior, as: Self.modelName)
  }

  /// EM for W and σ² from the current parameters (μ is set to x̄ first). Returns the average
  /// log-likelihood per observation before the first and after every iteration, with the
  /// conventions of ``FactorAnalysis/fit(_:iterations:tolerance:)``.
  ///
  /// - Throws: ``ModelError`` for invalid parameters, a feature-count mismatch, bad data
  ///   (NaN/∞, constant column, fewer than 2 rows) or a negative `iterations`/`tolerance`.
  @discardableResult
  public mutating func fit(_ X: Matrix, iterations: Int = 10_000, tolerance: Double = 1e-10) throws -> [Double] {
    let S = try prepare(X, iterations: iterations, tolerance: tolerance)
    var psi = Vector(repeating: noiseVariance, count: featureCount)
    let history = try FactorAnalysis.runEM(
      W: &loadings, psi: &psi, S: S, noise: .shared,
      iterations: iterations, tolerance: tolerance, model: Self.modelName)
    noiseVariance = psi[0]
    return history
  }

  /// EM for W alone with σ² held at `noiseVariance` (which must be positive). As σ² → 0 this
  /// is Roweis's (1998) EM algorithm for PCA: the E-step becomes the orthogonal projection
  /// (WᵀW)⁻¹Wᵀx̃ and the M-step a least-squares regression, and W converges to a basis of the
  /// leading q-dimensional principal subspace. Returns the average log-likelihood history
  /// at the fixed σ² (its values scale like 1/σ²).
  ///
  /// - Throws: ``ModelError`` for a fixed σ² that is not positive and finite, or as
  ///   ``fit(_:iterations:tolerance:)``.
  @discardableResult
  public mutating func fit(
    _ X: Matrix, noiseVariance fixed: Double, iterations: Int = 10_000,
    tolerance: Double = 0
  ) throws -> [Double] {
    guard fixed > 0 && fixed.isFinite else {
      throw ModelError.invalidArgument(
        model: Self.modelName, message: "fixed noise variance must be positive, got \(fixed)")
    }
    let S = try prepare(X, iterations: iterations, tolerance: tolerance)
    noiseVariance = fixed
    var psi = Vector(repeating: fixed, count: featureCount)
    return try FactorAnalysis.runEM(
      W: &loadings, psi: &psi, S: S, noise: .fixed, iterations: iterations, tolerance: tolerance,
      model: Self.modelName)
  }

  /// Validates the parameters and X for `fit`; sets μ = x̄ and returns S about it.
  private mutating func prepare(_ X: Matrix, iterations: Int, tolerance: Double) throws -> Matrix {
    try validateParameters()
    let S: Matrix
    (mean, S) = try validatedMoments(
      X, model: Self.modelName, featureCount: featureCount, iterations: iterations, tolerance: tolerance)
    return S
  }

  /// Checks what every computation with the parameters needs: W has one row per entry of μ,
  /// σ² is positive and finite, and μ and W are finite. (The properties are mutable and
  /// decodable, so the initializer alone cannot promise this.)
  func validateParameters() throws {
    guard loadings.rows == mean.count else {
      throw ModelError.parameterShapeMismatch(
        model: Self.modelName, meanLength: mean.count, loadingsRows: loadings.rows, loadingsColumns: loadings.cols,
        noiseCount: nil)
    }
    guard noiseVariance > 0 && noiseVariance.isFinite else {
      throw ModelError.invalidNoiseVariance(model: Self.modelName, index: nil, value: noiseVariance)
    }
    try validateFinite(mean, parameter: "mean", model: Self.modelName)
    try validateFinite(loadings, parameter: "loadings", model: Self.modelName)
  }
}
