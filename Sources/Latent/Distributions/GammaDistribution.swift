import Foundation

/// The Gamma distribution with shape α > 0 and rate β > 0:
/// p(x) = βᵅ xᵅ⁻¹ e^(−βx) / Γ(α) for x > 0; mean α/β, variance α/β².
public struct Gamma: Distribution, Hashable, Sendable, Codable {
  /// α.
  public var shape: Double
  /// β (the inverse of the scale).
  public var rate: Double

  public init(shape: Double, rate: Double) {
    require(shape > 0 && rate > 0, "Gamma: shape and rate must be positive, got \(shape) and \(rate)")
    self.shape = shape
    self.rate = rate
  }

  /// α/β.
  public var mean: Double { shape / rate }
  /// α/β².
  public var variance: Double { shape / (rate * rate) }
  /// E[ln x] = ψ(α) − ln β (needed in variational updates).
  public var meanLog: Double { digamma(shape) - log(rate) }

  /// log p(x) = α ln β + (α − 1) ln x − βx − ln Γ(α); −∞ for x ≤ 0.
  public func logDensity(_ x: Double) -> Double {
    guard x > 0 else { return x == 0 && shape == 1 ? log(rate) : -.infinity }
    return shape * log(rate) + (shape - 1) * log(x) - rate * x - logGamma(shape)
  }
  /// Marsaglia–Tsang (see ``SeededGenerator/gamma(shape:rate:)``).
  public func sample(using g: inout SeededGenerator) -> Double { g.gamma(shape: shape, rate: rate) }
  /// H = α − ln β + ln Γ(α) + (1 − α)ψ(α).
  public var entropy: Double { shape - log(rate) + logGamma(shape) + (1 - shape) * digamma(shape) }

  /// KL(q‖p) = (α_q − α_p)ψ(α_q) − ln Γ(α_q) + ln Γ(α_p) + α_p(ln β_q − ln β_p) + α_q(β_p − β_q)/β_q
  /// for q = self.
  public func klDivergence(to p: Gamma) -> Double {
    (shape - p.shape) * digamma(shape) - logGamma(shape) + logGamma(p.shape)
      + p.shape * (log(rate) - log(p.rate)) + shape * (p.rate - rate) / rate
  }
}
