import Foundation

/// The log-normal distribution: x = exp(y) with y ~ 𝒩(μ, σ²) (μ and σ² are those of ln x).
///
/// Mean e^(μ + σ²/2), variance (e^(σ²) − 1) e^(2μ + σ²). Sampled by composition: ε ~ 𝒩(0, 1),
/// then the location-scale map y = μ + σε, then the transform x = eʸ.
public struct LogNormal: Distribution, Hashable, Sendable, Codable {
  /// μ, the mean of ln x.
  public var logMean: Double
  /// σ² > 0, the variance of ln x.
  public var logVariance: Double

  public init(logMean: Double = 0, logVariance: Double = 1) {
    require(logVariance > 0, "LogNormal: the variance of ln x must be positive, got \(logVariance)")
    self.logMean = logMean
    self.logVariance = logVariance
  }

  /// σ.
  public var logStandardDeviation: Double { logVariance.squareRoot() }
  /// e^(μ + σ²/2).
  public var mean: Double { exp(logMean + logVariance / 2) }
  /// (e^(σ²) − 1) e^(2μ + σ²).
  public var variance: Double { expm1(logVariance) * exp(2 * logMean + logVariance) }

  /// log p(x) = log 𝒩(ln x; μ, σ²) − ln x for x > 0 (the −ln x is log |dy/dx|), −∞ otherwise.
  public func logDensity(_ x: Double) -> Double {
    guard x > 0 else { return -.infinity }
    let y = log(x)
    return logNormal.logDensity(y) - y
  }
  /// 𝒩(μ, σ²), the distribution of ln x.
  private var logNormal: Normal { Normal(mean: logMean, variance: logVariance) }
  /// The composition x = exp(μ + σε).
  public func reparameterize(_ epsilon: Double) -> Double { exp(logMean + logStandardDeviation * epsilon) }
  /// x = exp(μ + σε), ε ~ 𝒩(0, 1).
  public func sample(using g: inout SeededGenerator) -> Double { reparameterize(g.normal()) }
  /// H = μ + H(𝒩(μ, σ²)) = μ + ½ ln(2πeσ²): the change of variables adds E[ln x] = μ.
  public var entropy: Double { logMean + logNormal.entropy }
}
