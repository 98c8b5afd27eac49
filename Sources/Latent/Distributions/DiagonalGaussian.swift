import Foundation

/// A Gaussian 𝒩(μ, diag(σ²)) with independent coordinates — the mean-field
/// variational family and the VAE encoder's output.
///
/// ```swift
/// let q = DiagonalGaussian(mean: [2, 0], variance: [0.25, 4])
/// q.klDivergence(to: .standardNormal)   // 3.125
/// ```
public struct DiagonalGaussian: Distribution, Hashable, Sendable, Codable {
  /// μ.
  public var mean: Vector
  /// σ² (all positive).
  public var variance: Vector

  /// 𝒩(μ, diag(σ²)).
  public init(mean: Vector, variance: Vector) {
    require(
      mean.count == variance.count,
      "DiagonalGaussian: mean has length \(mean.count) but variance has length \(variance.count)")
    require(variance.allSatisfy { $0 > 0 }, "DiagonalGaussian: variances must be positive, got \(variance)")
    self.mean = mean
    self.variance = variance
  }
  /// 𝒩(μ, diag(exp(log σ²))), the VAE encoder's parameterisation.
  public init(mean: Vector, logVariance: Vector) {
    self.init(mean: mean, variance: logVariance.map(exp))
  }
  /// 𝒩(μ, diag(σ²)) from standard deviations σ.
  public init(mean: Vector, standardDeviation: Vector) {
    self.init(mean: mean, variance: standardDeviation ⊙ standardDeviation)
  }
  /// 𝒩(0, I) in d dimensions.
  public static func standardNormal(dimension d: Int) -> DiagonalGaussian {
    DiagonalGaussian(mean: .zeros(d), variance: .ones(d))
  }

  /// The dimension d.
  public var dimension: Int { mean.count }
  /// σ.
  public var standardDeviation: Vector { variance.map { $0.squareRoot() } }
  /// log σ².
  public var logVariance: Vector { variance.map(log) }
  /// The covariance diag(σ²) as a matrix.
  public var covariance: Matrix { .diagonal(variance) }

  /// log p(x) = −½ Σᵢ [ln(2π) + ln σᵢ² + (xᵢ − μᵢ)²/σᵢ²].
  public func logDensity(_ x: Vector) -> Double {
    require(
      x.count == dimension,
      "DiagonalGaussian.logDensity: point has length \(x.count), distribution has dimension \(dimension)")
    var s = 0.0
    for i in 0..<dimension {
      let d = x[i] - mean[i]
      s += logTwoPi + log(variance[i]) + d * d / variance[i]
    }
    return -0.5 * s
  }
  /// x = μ + σ ⊙ ε with ε ~ 𝒩(0, I) (the reparameterisation trick).
  public func sample(using g: inout SeededGenerator) -> Vector {
    Vector((0..<dimension).map { mean[$0] + variance[$0].squareRoot() * g.normal() })
  }
  /// H = ½ Σᵢ ln(2πeσᵢ²).
  public var entropy: Double { 0.5 * variance.reduce(0) { $0 + logTwoPi + 1 + log($1) } }

  /// KL(q‖p) = ½ Σᵢ [σ_qᵢ²/σ_pᵢ² + (μ_qᵢ − μ_pᵢ)²/σ_pᵢ² − 1 − ln(σ_qᵢ²/σ_pᵢ²)] for q = self.
  public func klDivergence(to p: DiagonalGaussian) -> Double {
    require(dimension == p.dimension, "klDivergence: dimensions \(dimension) and \(p.dimension) differ")
    var s = 0.0
    for i in 0..<dimension {
      let d = mean[i] - p.mean[i]
      s += klVarianceTerm(variance[i] / p.variance[i]) + d * d / p.variance[i]
    }
    return 0.5 * s
  }
  /// KL(q‖𝒩(0, I)) = ½ Σᵢ [σᵢ² + μᵢ² − 1 − ln σᵢ²], the VAE's regulariser.
  public func klDivergence(to p: StandardNormal) -> Double {
    var s = 0.0
    for i in 0..<dimension { s += klVarianceTerm(variance[i]) + mean[i] * mean[i] }
    return 0.5 * s
  }
}

/// The standard normal 𝒩(0, I) in whatever dimension the other argument has,
/// so that `q.klDivergence(to: .standardNormal)` reads like KL(q‖𝒩(0, I)).
public struct StandardNormal: Hashable, Sendable, Codable {
  public init() {}
  /// 𝒩(0, I).
  public static let standardNormal = StandardNormal()
}
