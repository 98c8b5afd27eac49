import Foundation

/// The univariate normal 𝒩(μ, σ²), p(x) = (2πσ²)^(−1/2) exp(−(x − μ)²/(2σ²)).
public struct Normal: Distribution, Hashable, Sendable, Codable {
  /// μ.
  public var mean: Double
  /// σ² > 0.
  public var variance: Double

  /// 𝒩(μ, σ²).
  public init(mean: Double = 0, variance: Double = 1) {
    require(variance > 0, "Normal: variance must be positive, got \(variance)")
    self.mean = mean
    self.variance = variance
  }
  /// 𝒩(μ, σ²) from the standard deviation σ.
  public init(mean: Double = 0, standardDeviation: Double) {
    self.init(mean: mean, variance: standardDeviation * standardDeviation)
  }
  /// 𝒩(0, 1).
  public static let standard = Normal()

  /// σ.
  public var standardDeviation: Double { variance.squareRoot() }

  /// log p(x) = −½ ln(2π) − ½ ln σ² − (x − μ)²/(2σ²).
  public func logDensity(_ x: Double) -> Double {
    let d = x - mean
    return -0.5 * (logTwoPi + log(variance) + d * d / variance)
  }
  /// x = μ + σz with z from the polar method.
  public func sample(using g: inout SeededGenerator) -> Double { mean + standardDeviation * g.normal() }
  /// P(X ≤ x) = ½ erfc(−(x − μ)/(σ√2)) (accurate in both tails).
  public func cdf(_ x: Double) -> Double { 0.5 * erfc(-(x - mean) / (standardDeviation * 2.0.squareRoot())) }
  /// H = ½ ln(2πeσ²).
  public var entropy: Double { 0.5 * (logTwoPi + 1 + log(variance)) }

  /// KL(q‖p) = ½ [σ_q²/σ_p² + (μ_q − μ_p)²/σ_p² − 1 − ln(σ_q²/σ_p²)] for q = self.
  public func klDivergence(to p: Normal) -> Double {
    let r = variance / p.variance, d = mean - p.mean
    return 0.5 * (klVarianceTerm(r) + d * d / p.variance)
  }
}

/// r − 1 − ln r for r > 0, to full relative precision even near r = 1 (where it
/// is ≈ (r − 1)²/2 and the naive formula cancels). With d = r − 1 (exact there)
/// and u = d/(2 + d), ln r = 2 atanh u, so r − 1 − ln r = d²/(2 + d) − 2 Σₖ≥₁ u²ᵏ⁺¹/(2k + 1).
@inline(__always)
func klVarianceTerm(_ r: Double) -> Double {
  let d = r - 1
  guard Swift.abs(d) < 0.5 else { return d - log(r) }
  let u = d / (2 + d), u2 = u * u
  var term = u * u2, k = 3.0, s = 0.0
  while Swift.abs(term) > 1e-18 * Swift.abs(s) && k < 60 {
    s += term / k
    term *= u2
    k += 2
  }
  return d * d / (2 + d) - 2 * s
}
