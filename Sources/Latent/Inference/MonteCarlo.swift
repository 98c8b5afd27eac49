import Foundation

/// A Monte Carlo estimate of an expectation E[g] from n independent draws gᵢ:
/// the sample mean ḡ = (1/n) Σᵢ gᵢ, the sample variance s² = Σᵢ (gᵢ − ḡ)² / (n − 1),
/// and the standard error √(s²/n) of ḡ.
///
/// ```swift
/// let estimate = MonteCarloEstimate(draws)
/// abs(estimate.mean - exact) / estimate.standardError   // should be below 3
/// ```
public struct MonteCarloEstimate: Hashable, Sendable, Codable {
  /// The number of draws n.
  public let count: Int
  /// ḡ = (1/n) Σᵢ gᵢ.
  public let mean: Double
  /// s² = Σᵢ (gᵢ − ḡ)² / (n − 1), the unbiased variance of a single draw (0 when n = 1).
  public let variance: Double

  /// The estimate from the draws (Welford's one-pass update, stable for large means).
  public init<S: Sequence>(_ draws: S) where S.Element == Double {
    var n = 0, m = 0.0, m2 = 0.0
    for g in draws {
      n += 1
      let d = g - m
      m += d / Double(n)
      m2 += d * (g - m)
    }
    require(n > 0, "MonteCarloEstimate: no draws")
    count = n
    mean = m
    variance = n > 1 ? m2 / Double(n - 1) : 0
  }

  /// √(s²/n), the standard deviation of ḡ.
  public var standardError: Double { (variance / Double(count)).squareRoot() }
  /// |ḡ − value| / √(s²/n): how many standard errors the estimate lies from `value`.
  public func standardErrors(from value: Double) -> Double { Swift.abs(mean - value) / standardError }
}
