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

  /// A model with the given parameters.
  public init(mean: Vector, loadings: Matrix, noiseVariance: Double) {
    precondition(
      loadings.rows == mean.count,
      "ProbabilisticPCA: mean of length \(mean.count) with loadings \(loadings.shapeDescription)")
    precondition(noiseVariance > 0, "ProbabilisticPCA: noise variance must be positive, got \(noiseVariance)")
    self.mean = mean
    self.loadings = loadings
    self.noiseVariance = noiseVariance
  }

  /// A deterministic random starting point for EM: μ = x̄, W with independent 𝒩(0, 1)
  /// entries drawn from `SeededGenerator(seed:)`, σ² = tr(S)/d.
  public init(data X: Matrix, components q: Int, seed: UInt64) throws {
    try validateLatentDimension(q, features: X.cols, model: "ProbabilisticPCA")
    try validateData(X, model: "ProbabilisticPCA")
    var rng = SeededGenerator(seed: seed)
    let mu = X.columnMeans
    let S = secondMoments(X, about: mu)
    self.init(mean: mu, loadings: rng.normalMatrix(rows: X.cols, cols: q), noiseVariance: S.trace / Double(X.cols))
  }

  /// The closed-form maximum-likelihood PPCA of the rows of X (S divides by N).
  /// - Throws: ``ModelError`` for q ∉ [1, d), fewer than 2 rows, NaN/∞ entries or a constant column.
  public static func maximumLikelihood(_ X: Matrix, components q: Int) throws -> ProbabilisticPCA {
    try validateLatentDimension(q, features: X.cols, model: "ProbabilisticPCA")
    try validateData(X, model: "ProbabilisticPCA")
    let mu = X.columnMeans
    return try maximumLikelihood(mean: mu, covariance: secondMoments(X, about: mu), components: q)
  }

  /// The Tipping–Bishop solution for a given mean and covariance matrix S:
  /// σ² = mean of the d − q smallest eigenvalues of S, W = U_q (Λ_q − σ²I)^{1/2}.
  ///
  /// It maximizes the likelihood exactly when S is the divide-by-N covariance about μ;
  /// passing another S (e.g. `X.covariance(ddof: 1)`) gives the corresponding plug-in estimate.
  /// Eigenvectors follow ``SymmetricEigendecomposition``'s sign convention, so W is deterministic.
  public static func maximumLikelihood(mean: Vector, covariance S: Matrix, components q: Int) throws -> ProbabilisticPCA
  {
    guard S.rows == mean.count && S.cols == mean.count else {
      throw ModelError.featureCountMismatch(model: "ProbabilisticPCA", expected: mean.count, got: S.cols)
    }
    let d = S.rows
    try validateLatentDimension(q, features: d, model: "ProbabilisticPCA")
    let eig = try S.symmetricEigen()
    let sigma2 = eig.values.scalars[q...].reduce(0, +) / Double(d - q)
    guard sigma2 > 0 else {
      throw ModelError.invalidArgument(
        model: "ProbabilisticPCA",
        message:
          "the \(d - q) smallest eigenvalues of the covariance are all zero; the data lies in a \(q)-dimensional subspace"
      )
    }
    var W = Matrix(rows: d, cols: q)
    for k in 0..<q {
      let scale = Swift.max(eig.values[k] - sigma2, 0).squareRoot()
      for i in 0..<d { W.scalars[i * q + k] = eig.vectors.scalars[i * d + k] * scale }
    }
    return ProbabilisticPCA(mean: mean, loadings: W, noiseVariance: sigma2)
  }

  /// The number of observed features d.
  public var featureCount: Int { mean.count }
  /// The number of components q.
  public var componentCount: Int { loadings.cols }
  /// C = WWᵀ + σ²I.
  public var covariance: Matrix { loadings.timesTranspose(loadings) + noiseVariance * Matrix.identity(featureCount) }
  /// The same model viewed as factor analysis with Ψ = σ²I.
  public var asFactorAnalysis: FactorAnalysis {
    FactorAnalysis(mean: mean, loadings: loadings, uniquenesses: Vector(repeating: noiseVariance, count: featureCount))
  }

  /// log p(X) = Σₙ log 𝒩(xₙ; μ, WWᵀ + σ²I), via the q×q matrix M (see ``FactorAnalysis/logLikelihood(_:)``).
  public func logLikelihood(_ X: Matrix) -> Double { asFactorAnalysis.logLikelihood(X) }
  /// (1/N) log p(X).
  public func averageLogLikelihood(_ X: Matrix) -> Double { asFactorAnalysis.averageLogLikelihood(X) }

  /// The E-step: q(zₙ) = 𝒩(mₙ, G) with G = σ²(σ²I + WᵀW)⁻¹ and mₙ = (σ²I + WᵀW)⁻¹Wᵀ(xₙ − μ).
  /// As σ² → 0, mₙ → (WᵀW)⁻¹Wᵀ(xₙ − μ), the orthogonal projection of PCA.
  public func eStep(_ X: Matrix) -> FactorAnalysis.Posterior { asFactorAnalysis.eStep(X) }

  /// The M-step: W as in factor analysis, σ² ← (1/d) Σᵢ [ (S_μ)ᵢᵢ − Σₖ Wᵢₖ ((1/N) Σₙ x̃ₙ mₙᵀ)ᵢₖ ].
  public mutating func mStep(_ X: Matrix, _ posterior: FactorAnalysis.Posterior) {
    var fa = asFactorAnalysis
    fa.mStep(X, posterior, noise: .shared)
    loadings = fa.loadings
    noiseVariance = fa.uniquenesses[0]
  }

  /// The evidence lower bound for posteriors qₙ = 𝒩(mₙ, G) (see ``FactorAnalysis/elbo(_:_:)``).
  public func elbo(_ X: Matrix, _ posterior: FactorAnalysis.Posterior) -> Double { asFactorAnalysis.elbo(X, posterior) }

  /// EM for W and σ² from the current parameters (μ is set to x̄ first). Returns the average
  /// log-likelihood per observation before the first and after every iteration, with the
  /// conventions of ``FactorAnalysis/fit(_:iterations:tolerance:)``.
  @discardableResult
  public mutating func fit(_ X: Matrix, iterations: Int = 10_000, tolerance: Double = 1e-10) throws -> [Double] {
    let S = try prepare(X, iterations: iterations, tolerance: tolerance)
    var psi = Vector(repeating: noiseVariance, count: featureCount)
    let history = try FactorAnalysis.runEM(
      W: &loadings, psi: &psi, S: S, noise: .shared,
      iterations: iterations, tolerance: tolerance)
    noiseVariance = psi[0]
    return history
  }

  /// EM for W alone with σ² held at `noiseVariance` (which must be positive). As σ² → 0 this
  /// is Roweis's (1998) EM algorithm for PCA: the E-step becomes the orthogonal projection
  /// (WᵀW)⁻¹Wᵀx̃ and the M-step a least-squares regression, and W converges to a basis of the
  /// leading q-dimensional principal subspace. Returns the average log-likelihood history
  /// at the fixed σ² (its values scale like 1/σ²).
  @discardableResult
  public mutating func fit(
    _ X: Matrix, noiseVariance fixed: Double, iterations: Int = 10_000,
    tolerance: Double = 0
  ) throws -> [Double] {
    guard fixed > 0 && fixed.isFinite else {
      throw ModelError.invalidArgument(
        model: "ProbabilisticPCA", message: "fixed noise variance must be positive, got \(fixed)")
    }
    let S = try prepare(X, iterations: iterations, tolerance: tolerance)
    noiseVariance = fixed
    var psi = Vector(repeating: fixed, count: featureCount)
    return try FactorAnalysis.runEM(
      W: &loadings, psi: &psi, S: S, noise: .fixed, iterations: iterations, tolerance: tolerance)
  }

  private mutating func prepare(_ X: Matrix, iterations: Int, tolerance: Double) throws -> Matrix {
    let S: Matrix
    (mean, S) = try validatedMoments(
      X, model: "ProbabilisticPCA", featureCount: featureCount, iterations: iterations, tolerance: tolerance)
    return S
  }
}
