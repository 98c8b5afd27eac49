import Foundation

/// The exponential distribution with rate λ > 0: p(x) = λ e^(−λx) for x ≥ 0; mean 1/λ, variance 1/λ².
///
/// Sampled by the inverse CDF: F(x) = 1 − e^(−λx), so x = F⁻¹(u) = −ln(1 − u)/λ for u ~ Uniform[0, 1).
public struct Exponential: Distribution, Hashable, Sendable, Codable {
  /// λ.
  public var rate: Double

  public init(rate: Double) {
    require(rate > 0, "Exponential: rate must be positive, got \(rate)")
    self.rate = rate
  }

  /// 1/λ.
  public var mean: Double { 1 / rate }
  /// 1/λ².
  public var variance: Double { 1 / (rate * rate) }

  /// log p(x) = ln λ − λx for x ≥ 0, −∞ otherwise.
  public func logDensity(_ x: Double) -> Double { x >= 0 ? log(rate) - rate * x : -.infinity }
  /// F(x) = 1 − e^(−λx).
  public func cdf(_ x: Double) -> Double { x > 0 ? -expm1(-rate * x) : 0 }
  /// F⁻¹(u) = −ln(1 − u)/λ.
  public func quantile(_ u: Double) -> Double {
    require(u >= 0 && u < 1, "Exponential.quantile: u must lie in [0, 1), got \(u)")
    return -log1p(-u) / rate
  }
  /// x = F⁻¹(u), u ~ Uniform[0, 1) (the inverse-CDF reparameterization).
  public func sample(using g: inout SeededGenerator) -> Double { quantile(g.uniform()) }
  /// H = 1 − ln λ.
  public var entropy: Double { 1 - log(rate) }
}
