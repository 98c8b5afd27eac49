import Foundation

/// The Normal-Gamma distribution over a mean μ and a precision τ, the conjugate prior of a
/// univariate Gaussian with unknown mean and precision:
///
///     τ ~ Gamma(a, b),   μ | τ ~ 𝒩(μ₀, (λ₀τ)⁻¹),
///     log p(μ, τ) = log Gamma(τ; a, b) + log 𝒩(μ; μ₀, (λ₀τ)⁻¹).
///
/// ```swift
/// let prior = NormalGamma(location: 0, lambda: 1, shape: 1, rate: 1)
/// let posterior = prior.posterior(given: x)   // exact, conjugate
/// prior.logEvidence(x)                        // log p(x), closed form
/// ```
public struct NormalGamma: Distribution, Hashable, Sendable, Codable {
  /// A point (μ, τ).
  public typealias Value = (mean: Double, precision: Double)

  /// μ₀.
  public var location: Double
  /// λ₀ > 0: the prior of μ has λ₀ times the precision of one observation.
  public var lambda: Double
  /// a > 0, the shape of τ's Gamma.
  public var shape: Double
  /// b > 0, the rate of τ's Gamma.
  public var rate: Double

  /// NormalGamma(μ₀, λ₀, a, b).
  public init(location: Double, lambda: Double, shape: Double, rate: Double) {
    require(
      lambda > 0 && shape > 0 && rate > 0,
      "NormalGamma: lambda, shape and rate must be positive, got \(lambda), \(shape) and \(rate)")
    self.location = location
    self.lambda = lambda
    self.shape = shape
    self.rate = rate
  }

  /// The marginal of τ, Gamma(a, b).
  public var precisionMarginal: Gamma { Gamma(shape: shape, rate: rate) }
  /// The conditional of μ given τ, 𝒩(μ₀, (λ₀τ)⁻¹).
  public func meanConditional(precision tau: Double) -> Normal { Normal(mean: location, variance: 1 / (lambda * tau)) }

  /// log p(μ, τ) = log Gamma(τ; a, b) + log 𝒩(μ; μ₀, (λ₀τ)⁻¹); −∞ for τ ≤ 0.
  public func logDensity(_ x: Value) -> Double {
    guard x.precision > 0 else { return -.infinity }
    return precisionMarginal.logDensity(x.precision) + meanConditional(precision: x.precision).logDensity(x.mean)
  }
  /// τ ~ Gamma(a, b), then μ ~ 𝒩(μ₀, (λ₀τ)⁻¹).
  public func sample(using g: inout SeededGenerator) -> Value {
    let tau = precisionMarginal.sample(using: &g)
    return (meanConditional(precision: tau).sample(using: &g), tau)
  }

  /// The marginal of μ, a Student t with ν = 2a degrees of freedom, location μ₀ and precision
  /// λ = aλ₀/b: log p(μ) = ln Γ((ν + 1)/2) − ln Γ(ν/2) + ½ ln(λ/(πν)) − (ν + 1)/2 · ln(1 + λ(μ − μ₀)²/ν).
  public func meanMarginalLogDensity(_ mu: Double) -> Double {
    let nu = 2 * shape, l = shape * lambda / rate, d = mu - location
    return logGamma((nu + 1) / 2) - logGamma(nu / 2) + 0.5 * log(l / (Double.pi * nu))
      - (nu + 1) / 2 * log1p(l * d * d / nu)
  }

  /// E_{q(μ)q(τ)}[log p(μ, τ)] for independent q(μ) = 𝒩(m, v) and q(τ) = Gamma(α, β):
  ///
  ///     a ln b − ln Γ(a) + (a − 1) E[ln τ] − b E[τ]
  ///       + ½ (ln λ₀ + E[ln τ] − ln 2π) − ½ λ₀ E[τ] ((m − μ₀)² + v).
  public func expectedLogDensity(mean qMean: Normal, precision qPrecision: Gamma) -> Double {
    let eTau = qPrecision.mean, eLogTau = qPrecision.meanLog
    let d = qMean.mean - location
    return shape * log(rate) - logGamma(shape) + (shape - 1) * eLogTau - rate * eTau
      + 0.5 * (log(lambda) + eLogTau - logTwoPi) - 0.5 * lambda * eTau * (d * d + qMean.variance)
  }

  /// The exact posterior after observing xₙ ~ 𝒩(μ, τ⁻¹), n = 1…N, which is again Normal-Gamma:
  ///
  ///     λ_N = λ₀ + N,   μ_N = (λ₀μ₀ + N x̄)/λ_N,   a_N = a + N/2,
  ///     b_N = b + ½ Σₙ (xₙ − x̄)² + λ₀ N (x̄ − μ₀)² / (2λ_N).
  public func posterior(given x: Vector) -> NormalGamma {
    let s = SampleSummary(x)
    let lambdaN = lambda + s.n
    return NormalGamma(
      location: (lambda * location + s.n * s.mean) / lambdaN, lambda: lambdaN, shape: shape + s.n / 2,
      rate: rate + 0.5 * s.sumOfSquares + lambda * s.n * (s.mean - location) * (s.mean - location) / (2 * lambdaN))
  }

  /// The log evidence log p(x) = log ∫∫ Πₙ 𝒩(xₙ; μ, τ⁻¹) p(μ, τ) dμ dτ of the data under this prior:
  ///
  ///     ln Γ(a_N) − ln Γ(a) + a ln b − a_N ln b_N + ½ ln(λ₀/λ_N) − (N/2) ln 2π,
  ///
  /// with (λ_N, a_N, b_N) from ``posterior(given:)``.
  public func logEvidence(_ x: Vector) -> Double {
    let post = posterior(given: x)
    return logGamma(post.shape) - logGamma(shape) + shape * log(rate) - post.shape * log(post.rate)
      + 0.5 * log(lambda / post.lambda) - Double(x.count) / 2 * logTwoPi
  }
}

/// N, x̄ and Σₙ (xₙ − x̄)² of a sample (two passes).
struct SampleSummary: Codable {
  let n: Double, mean: Double, sumOfSquares: Double
  init(_ x: Vector) {
    require(x.count > 0, "NormalGamma: no observations")
    n = Double(x.count)
    mean = x.mean
    let m = mean
    sumOfSquares = x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
  }
  /// Σₙ (xₙ − c)² = Σₙ (xₙ − x̄)² + N (x̄ − c)².
  func sumOfSquares(around c: Double) -> Double { sumOfSquares + n * (mean - c) * (mean - c) }
}

/// Mean-field variational inference q(μ, τ) = q(μ) q(τ) for xₙ ~ 𝒩(μ, τ⁻¹) with a Normal-Gamma
/// prior (Bishop, PRML §10.1.3). The optimal factors are
///
///     q*(μ) = 𝒩(μ_N, λ_N⁻¹):   μ_N = (λ₀μ₀ + N x̄)/(λ₀ + N),   λ_N = (λ₀ + N) E[τ],
///     q*(τ) = Gamma(a_N, b_N):  a_N = a₀ + (N + 1)/2,
///                               b_N = b₀ + ½ E_μ[Σₙ (xₙ − μ)² + λ₀ (μ − μ₀)²],
///
/// each depending on the other only through E[τ] or E[μ], E[μ²]; ``cavi(tolerance:maxIterations:)``
/// alternates them.
public struct NormalGammaMeanField: Sendable, Codable {
  /// The prior NormalGamma(μ₀, λ₀, a₀, b₀).
  public let prior: NormalGamma
  /// The observations x₁ … x_N.
  public let data: Vector
  /// q(μ) = 𝒩(m, v).
  public var qMean: Normal
  /// q(τ) = Gamma(α, β).
  public var qPrecision: Gamma
  let summary: SampleSummary

  /// Starts from the given factors.
  public init(prior: NormalGamma, data: Vector, qMean: Normal, qPrecision: Gamma) {
    self.prior = prior
    self.data = data
    self.qMean = qMean
    self.qPrecision = qPrecision
    self.summary = SampleSummary(data)
  }

  /// E_q(μ)[Σₙ (xₙ − μ)²] = Σₙ (xₙ − m)² + N v.
  var expectedDataSquares: Double { summary.sumOfSquares(around: qMean.mean) + summary.n * qMean.variance }
  /// E_q(μ)[(μ − μ₀)²] = (m − μ₀)² + v.
  var expectedPriorSquare: Double {
    let d = qMean.mean - prior.location
    return d * d + qMean.variance
  }

  /// q(μ) ← 𝒩(μ_N, λ_N⁻¹), μ_N = (λ₀μ₀ + N x̄)/(λ₀ + N), λ_N = (λ₀ + N) E[τ].
  public mutating func updateMean() {
    let lambdaN = prior.lambda + summary.n
    qMean = Normal(
      mean: (prior.lambda * prior.location + summary.n * summary.mean) / lambdaN,
      variance: 1 / (lambdaN * qPrecision.mean))
  }

  /// q(τ) ← Gamma(a₀ + (N + 1)/2, b₀ + ½ E_μ[Σₙ (xₙ − μ)² + λ₀ (μ − μ₀)²]).
  public mutating func updatePrecision() {
    qPrecision = Gamma(
      shape: prior.shape + (summary.n + 1) / 2,
      rate: prior.rate + 0.5 * (expectedDataSquares + prior.lambda * expectedPriorSquare))
  }

  /// ELBO(q) = E_q[log p(x | μ, τ)] + E_q[log p(μ, τ)] + H[q(μ)] + H[q(τ)], where
  /// E_q[log p(x | μ, τ)] = (N/2)(E[ln τ] − ln 2π) − ½ E[τ] E_μ[Σₙ (xₙ − μ)²].
  public var elbo: Double {
    let likelihood = summary.n / 2 * (qPrecision.meanLog - logTwoPi) - 0.5 * qPrecision.mean * expectedDataSquares
    return likelihood + prior.expectedLogDensity(mean: qMean, precision: qPrecision) + qMean.entropy
      + qPrecision.entropy
  }

  /// KL(q(μ)q(τ) ‖ p) = −H[q(μ)] − H[q(τ)] − E_q[log p(μ, τ)] for a Normal-Gamma p, e.g. the
  /// exact posterior; then log p(x) = ELBO(q) + KL(q ‖ p(μ, τ | x)).
  public func klDivergence(to p: NormalGamma) -> Double {
    -qMean.entropy - qPrecision.entropy - p.expectedLogDensity(mean: qMean, precision: qPrecision)
  }

  /// Coordinate ascent (CAVI): alternates ``updateMean()`` and ``updatePrecision()`` until an
  /// iteration changes E[τ] by at most `tolerance` relative to E[τ] (the ELBO, quadratic near its
  /// maximum, settles long before the factors do). Returns the ELBO at the start and after every
  /// single-factor update, so it never decreases.
  @discardableResult
  public mutating func cavi(tolerance: Double = 1e-14, maxIterations: Int = 1000) -> [Double] {
    var history = [elbo]
    for _ in 0..<maxIterations {
      let before = qPrecision.mean
      updateMean()
      history.append(elbo)
      updatePrecision()
      history.append(elbo)
      if Swift.abs(qPrecision.mean - before) <= tolerance * qPrecision.mean { break }
    }
    return history
  }
}
