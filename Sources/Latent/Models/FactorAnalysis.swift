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

  /// A model with the given parameters (ψ must be positive).
  public init(mean: Vector, loadings: Matrix, uniquenesses: Vector) {
    precondition(
      loadings.rows == mean.count && uniquenesses.count == mean.count,
      "FactorAnalysis: mean of length \(mean.count), loadings \(loadings.shapeDescription), \(uniquenesses.count) uniquenesses"
    )
    precondition(uniquenesses.allSatisfy { $0 > 0 }, "FactorAnalysis: uniquenesses must be positive")
    self.mean = mean
    self.loadings = loadings
    self.uniquenesses = uniquenesses
  }

  /// The deterministic starting point for EM: the closed-form maximum-likelihood
  /// probabilistic PCA solution (Ψ = σ²I) with q components, μ = x̄.
  ///
  /// - Throws: ``ModelError`` for q ∉ [1, d), fewer than 2 rows, NaN/∞ entries or a constant column.
  public init(data X: Matrix, factors q: Int) throws {
    try validateLatentDimension(q, features: X.cols, model: "FactorAnalysis")
    try validateData(X, model: "FactorAnalysis")
    let ppca = try ProbabilisticPCA.maximumLikelihood(X, components: q)
    self.init(
      mean: ppca.mean, loadings: ppca.loadings,
      uniquenesses: Vector(repeating: ppca.noiseVariance, count: X.cols))
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

  /// The same model with loadings W R (R orthogonal q×q): an equally good fit, since
  /// (WR)(WR)ᵀ = WWᵀ. This is why W itself is not identified.
  public func rotated(by R: Matrix) -> FactorAnalysis {
    precondition(
      R.rows == factorCount && R.cols == factorCount,
      "FactorAnalysis.rotated(by:): needs a \(factorCount)x\(factorCount) matrix, got \(R.shapeDescription)")
    return FactorAnalysis(mean: mean, loadings: loadings * R, uniquenesses: uniquenesses)
  }

  // MARK: - Likelihood

  /// The log-likelihood log p(X) = Σₙ log 𝒩(xₙ; μ, C) of the rows of X, computed as
  ///
  ///     −(N/2) [ d log 2π + log det C + tr(C⁻¹ S_μ) ],   S_μ = (1/N) Σₙ (xₙ − μ)(xₙ − μ)ᵀ,
  ///
  /// with log det C by the determinant lemma and tr(C⁻¹S_μ) by Woodbury (q×q Cholesky only).
  public func logLikelihood(_ X: Matrix) -> Double {
    Double(X.rows) * averageLogLikelihood(X)
  }

  /// (1/N) log p(X), the average log-likelihood per observation (the number EM's history records).
  public func averageLogLikelihood(_ X: Matrix) -> Double {
    checkFeatures(X, "averageLogLikelihood")
    let S = secondMoments(X, about: mean)
    do { return try FactorAnalysis.momentEStep(W: loadings, psi: uniquenesses, S: S).averageLogLikelihood } catch {
      return .nan
    }
  }

  // MARK: - EM

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
  public func eStep(_ X: Matrix) -> Posterior {
    checkFeatures(X, "eStep")
    let B = scaledRows(loadings, by: uniquenesses.map { 1 / $0 })  // Ψ⁻¹W
    let M = Matrix.identity(factorCount) + loadings.transposeTimes(B)
    guard let chol = try? M.cholesky() else {
      preconditionFailure("FactorAnalysis.eStep: I + WᵀΨ⁻¹W is not positive definite (non-finite parameters?)")
    }
    let means = chol.solve(((X - mean) * B).transposed).transposed  // rows G Wᵀ Ψ⁻¹ x̃ₙ
    return Posterior(means: means, covariance: chol.inverse)
  }

  /// The M-step: given the posterior moments, maximizes the expected complete-data log-likelihood
  ///
  ///     W ← (Σₙ x̃ₙ mₙᵀ)(Σₙ E[zₙzₙᵀ])⁻¹,   ψᵢ ← (S_μ)ᵢᵢ − Σₖ Wᵢₖ ((1/N) Σₙ x̃ₙ mₙᵀ)ᵢₖ,
  ///
  /// using the *new* W in the second formula. The q×q system is solved by Cholesky.
  public mutating func mStep(_ X: Matrix, _ posterior: Posterior) {
    mStep(X, posterior, noise: .perFeature)
  }

  /// The M-step with a choice of noise update (PPCA shares one σ² across features).
  mutating func mStep(_ X: Matrix, _ posterior: Posterior, noise: NoiseUpdate) {
    checkFeatures(X, "mStep")
    precondition(
      posterior.means.rows == X.rows && posterior.means.cols == factorCount,
      "FactorAnalysis.mStep: posterior means \(posterior.means.shapeDescription) for \(X.rows) rows and \(factorCount) factors"
    )
    let Xc = X - mean
    let n = Double(X.rows)
    let cross = Xc.transposeTimes(posterior.means) / n  // (1/N) Σ x̃ₙ mₙᵀ, d×q
    let Sdiag = (Xc ⊙ Xc).columnSums / n
    do {
      (loadings, uniquenesses) = try FactorAnalysis.mStepUpdate(
        cross: cross, secondMoment: posterior.averageSecondMoment, Sdiag: Sdiag, psi: uniquenesses, noise: noise)
    } catch {
      preconditionFailure("FactorAnalysis.mStep: \(error)")
    }
  }

  /// The evidence lower bound Σₙ ELBO(qₙ) = Σₙ { E_q[log p(xₙ | zₙ)] + E_q[log p(zₙ)] + H[qₙ] }
  /// of the current parameters for the Gaussian posteriors qₙ = 𝒩(mₙ, G) (from any E-step):
  ///
  ///     E_q[log p(x|z)] = −½ [ d log 2π + Σᵢ log ψᵢ + E_q (x̃ − Wz)ᵀΨ⁻¹(x̃ − Wz) ],
  ///     E_q[log p(z)]   = −½ [ q log 2π + tr E[zzᵀ] ],    H[q] = ½ [ q (1 + log 2π) + log det G ].
  ///
  /// It equals ``logLikelihood(_:)`` − Σₙ KL(qₙ ‖ p(zₙ | xₙ)); right after an E-step the
  /// KL terms are zero and the bound is tight.
  public func elbo(_ X: Matrix, _ posterior: Posterior) -> Double {
    checkFeatures(X, "elbo")
    let q = factorCount, d = featureCount
    precondition(
      posterior.means.rows == X.rows && posterior.means.cols == q,
      "FactorAnalysis.elbo: posterior means \(posterior.means.shapeDescription) for \(X.rows) rows and \(q) factors")
    let Xc = X - mean
    let n = Double(X.rows)
    let Sdiag = (Xc ⊙ Xc).columnSums / n
    let cross = Xc.transposeTimes(posterior.means) / n
    let Ezz = posterior.averageSecondMoment
    let psiInv = uniquenesses.map { 1 / $0 }
    let B = scaledRows(loadings, by: psiInv)
    // (1/N) Σₙ E (x̃ₙ − Wz)ᵀΨ⁻¹(x̃ₙ − Wz) = tr(Ψ⁻¹S) − 2 tr(Ψ⁻¹ W crossᵀ) + tr(WᵀΨ⁻¹W E[zzᵀ])
    let quadratic = Sdiag.dot(psiInv) - 2 * (B ⊙ cross).sum + (loadings.transposeTimes(B) ⊙ Ezz).sum
    let logDetG: Double
    do { logDetG = try posterior.covariance.cholesky().logDeterminant } catch { return .nan }
    let sumLogPsi = uniquenesses.reduce(0) { $0 + Foundation.log($1) }
    let perSample =
      -0.5 * (Double(d) * logTwoPi + sumLogPsi + quadratic)  // E log p(x|z)
      - 0.5 * Ezz.trace + 0.5 * Double(q) + 0.5 * logDetG  // E log p(z) + H, log 2π cancels
    return n * perSample
  }

  /// Runs EM from the current parameters until the average log-likelihood rises by less
  /// than `tolerance` in one iteration, or for `iterations` iterations (`tolerance: 0`
  /// disables the convergence test).
  ///
  /// μ is first set to its ML estimate x̄. Returns the history of the average log-likelihood
  /// per observation, (1/N) log p(X): element 0 is that of the starting parameters and
  /// element k that after k iterations (so `history.count − 1` iterations ran, and the last
  /// element belongs to the returned parameters). The history never decreases (up to rounding).
  ///
  /// Cost: one O(Nd²) pass over X for S, then O(d²q + q³) per iteration. For timing EM,
  /// `fit(X, iterations: k, tolerance: 0)` on a fresh copy runs exactly k iterations
  /// (see also ``emIterationsPerSecond(_:factors:iterations:)``).
  ///
  /// - Throws: ``ModelError`` for a feature-count mismatch, bad data (NaN/∞, constant column,
  ///   fewer than 2 rows) or a negative `iterations`/`tolerance`.
  @discardableResult
  public mutating func fit(_ X: Matrix, iterations: Int = 10_000, tolerance: Double = 1e-10) throws -> [Double] {
    let S: Matrix
    (mean, S) = try validatedMoments(
      X, model: "FactorAnalysis", featureCount: featureCount, iterations: iterations, tolerance: tolerance)
    return try FactorAnalysis.runEM(
      W: &loadings, psi: &uniquenesses, S: S, noise: .perFeature,
      iterations: iterations, tolerance: tolerance)
  }

  func checkFeatures(_ X: Matrix, _ method: String) {
    precondition(
      X.cols == featureCount,
      "FactorAnalysis.\(method): the model has \(featureCount) features but the data is \(X.shapeDescription)")
  }
}

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
  static func momentEStep(W: Matrix, psi: Vector, S: Matrix) throws -> MomentEStep {
    let d = W.rows, q = W.cols
    let B = scaledRows(W, by: psi.map { 1 / $0 })  // Ψ⁻¹W, d×q
    let M = Matrix.identity(q) + W.transposeTimes(B)
    let chol = try M.cholesky()
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
  static func mStepUpdate(
    cross: Matrix, secondMoment Ezz: Matrix, Sdiag: Vector, psi current: Vector, noise: NoiseUpdate
  ) throws -> (Matrix, Vector) {
    let d = cross.rows, q = cross.cols
    let W = try Ezz.cholesky().solve(cross.transposed).transposed  // cross · Ezz⁻¹
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
  static func runEM(
    W: inout Matrix, psi: inout Vector, S: Matrix, noise: NoiseUpdate,
    iterations: Int, tolerance: Double
  ) throws -> [Double] {
    let Sdiag = S.diagonal
    var history: [Double] = []
    history.reserveCapacity(Swift.min(iterations, 100_000) + 1)
    var k = 0
    while true {
      let e = try momentEStep(W: W, psi: psi, S: S)
      history.append(e.averageLogLikelihood)
      let n = history.count
      if tolerance > 0 && n >= 2 && history[n - 1] - history[n - 2] < tolerance { break }
      if k == iterations { break }
      (W, psi) = try mStepUpdate(
        cross: e.cross, secondMoment: e.G + e.meanOuter, Sdiag: Sdiag, psi: psi, noise: noise)
      k += 1
    }
    return history
  }
}

/// diag(s) A: row i of A times sᵢ.
func scaledRows(_ A: Matrix, by s: Vector) -> Matrix {
  precondition(s.count == A.rows, "scaledRows: \(A.shapeDescription) matrix with \(s.count) scales")
  var out = A
  let n = A.cols
  out.scalars.withUnsafeMutableBufferPointer { o in
    for i in 0..<A.rows { for j in 0..<n { o[i * n + j] *= s[i] } }
  }
  return out
}

// MARK: - Benchmark hook

extension FactorAnalysis {
  /// EM iterations per second of ``fit(_:iterations:tolerance:)`` on X with q factors:
  /// the model is initialised once (outside the timing), then runs exactly
  /// `iterations` iterations (`tolerance: 0`). The measurement includes the O(Nd²) pass that
  /// forms S and the input validation, as a real call would.
  public static func emIterationsPerSecond(_ X: Matrix, factors q: Int, iterations: Int = 1_000) throws -> Double {
    guard iterations > 0 else {
      throw ModelError.invalidArgument(
        model: "FactorAnalysis", message: "iterations must be positive, got \(iterations)")
    }
    var model = try FactorAnalysis(data: X, factors: q)
    let clock = ContinuousClock()
    var ran = 0
    let elapsed = try clock.measure { ran = try model.fit(X, iterations: iterations, tolerance: 0).count - 1 }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return Double(ran) / Swift.max(seconds, 1e-9)
  }
}

// MARK: - Rotation for interpretation

extension FactorAnalysis {
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
  public func varimax(iterations: Int = 500, tolerance: Double = 1e-12) throws -> (
    model: FactorAnalysis, rotation: Matrix
  ) {
    let d = featureCount, q = factorCount
    let h = communalities.map { Swift.max($0, 1e-300).squareRoot() }
    let A = scaledRows(loadings, by: h.map { 1 / $0 })  // Kaiser normalization
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
    return (FactorAnalysis(mean: mean, loadings: W, uniquenesses: uniquenesses), R)
  }
}
