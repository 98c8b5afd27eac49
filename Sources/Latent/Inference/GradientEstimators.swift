import Foundation

/// A gradient with respect to the parameters (μ, σ) of a location-scale family
/// q(z) = (1/σ) p((z − μ)/σ), e.g. q = 𝒩(μ, σ²).
public struct LocationScaleGradient: Hashable, Sendable, Codable {
  /// ∂/∂μ.
  public var mean: Double
  /// ∂/∂σ.
  public var standardDeviation: Double

  public init(mean: Double, standardDeviation: Double) {
    self.mean = mean
    self.standardDeviation = standardDeviation
  }
}

extension Normal {
  /// The reparameterization z = g(ε) = μ + σε, which maps ε ~ 𝒩(0, 1) to z ~ 𝒩(μ, σ²).
  public func reparameterize(_ epsilon: Double) -> Double { mean + standardDeviation * epsilon }

  /// The score ∇_{μ,σ} log q(z) = ((z − μ)/σ², ((z − μ)² − σ²)/σ³), whose expectation under q is zero.
  public func score(_ z: Double) -> LocationScaleGradient {
    let d = z - mean, s = standardDeviation
    return LocationScaleGradient(mean: d / variance, standardDeviation: (d * d - variance) / (variance * s))
  }
}

/// The score-function (REINFORCE, likelihood-ratio) estimate from one draw z ~ q of
/// ∇_{μ,σ} E_{q}[f(z)] = E_q[f(z) ∇ log q(z)]:
///
///     (f(z) − b) ∇_{μ,σ} log q(z) = (f(z) − b) · ((z − μ)/σ², ((z − μ)² − σ²)/σ³).
///
/// Unbiased for any constant baseline b (because E_q[∇ log q] = 0); it needs only values of f.
public func scoreFunctionGradient(_ f: (Double) -> Double, _ q: Normal, at z: Double, baseline b: Double = 0)
  -> LocationScaleGradient
{
  let w = f(z) - b
  let score = q.score(z)
  return LocationScaleGradient(mean: w * score.mean, standardDeviation: w * score.standardDeviation)
}

/// The pathwise (reparameterization) estimate from one draw ε ~ 𝒩(0, 1) of
/// ∇_{μ,σ} E_{q}[f(z)] = E_ε[∇_{μ,σ} f(μ + σε)]:
///
///     f′(z) · (∂z/∂μ, ∂z/∂σ) = f′(z) · (1, ε),   z = μ + σε.
///
/// It needs the derivative f′ (passed as `derivative`).
public func pathwiseGradient(_ derivative: (Double) -> Double, _ q: Normal, epsilon: Double) -> LocationScaleGradient {
  let fPrime = derivative(q.reparameterize(epsilon))
  return LocationScaleGradient(mean: fPrime, standardDeviation: fPrime * epsilon)
}

extension Gaussian {
  /// The reparameterization z = μ + Lε of ε ~ 𝒩(0, I), with Σ = LLᵀ.
  ///
  /// Its Jacobian is dz/dε = L, so by the change of variables
  /// log q(z) = log 𝒩(ε; 0, I) − log |det L| = log 𝒩(ε; 0, I) − Σᵢ ln Lᵢᵢ.
  public func reparameterize(_ epsilon: Vector) -> Vector {
    require(
      epsilon.count == dimension,
      "Gaussian.reparameterize: ε has length \(epsilon.count), distribution has dimension \(dimension)")
    return mean + cholesky.L * epsilon
  }
}
