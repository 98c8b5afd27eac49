import Foundation

/// The Laplace distribution with location μ and scale b > 0: p(x) = e^(−|x − μ|/b) / (2b);
/// mean μ, variance 2b².
///
/// A location-scale family: x = μ + b ε with ε ~ Laplace(0, 1), and ε is sampled by the inverse
/// CDF, ε = −sgn(u − ½) ln(1 − 2|u − ½|) for u ~ Uniform(0, 1).
public struct Laplace: Distribution, Hashable, Sendable, Codable {
  /// μ.
  public var location: Double
  /// b.
  public var scale: Double

  public init(location: Double = 0, scale: Double = 1) {
    require(scale > 0, "Laplace: scale must be positive, got \(scale)")
    self.location = location
    self.scale = scale
  }

  /// μ.
  public var mean: Double { location }
  /// 2b².
  public var variance: Double { 2 * scale * scale }

  /// log p(x) = −ln(2b) − |x − μ|/b.
  public func logDensity(_ x: Double) -> Double { -log(2 * scale) - Swift.abs(x - location) / scale }
  /// F(x) = ½ e^((x − μ)/b) for x < μ, 1 − ½ e^(−(x − μ)/b) otherwise.
  public func cdf(_ x: Double) -> Double {
    let t = (x - location) / scale
    return t < 0 ? 0.5 * exp(t) : 1 - 0.5 * exp(-t)
  }
  /// F⁻¹(u) = μ − b sgn(u − ½) ln(1 − 2|u − ½|) for 0 < u < 1.
  public func quantile(_ u: Double) -> Double {
    require(u > 0 && u < 1, "Laplace.quantile: u must lie in (0, 1), got \(u)")
    let d = u - 0.5
    return location - scale * (d < 0 ? -1 : 1) * log1p(-2 * Swift.abs(d))
  }
  /// The location-scale map x = μ + b ε.
  public func reparameterize(_ epsilon: Double) -> Double { location + scale * epsilon }
  /// x = μ + b ε with ε = F₀⁻¹(u) the standard Laplace quantile of u ~ Uniform(0, 1) (u = 0 is redrawn).
  public func sample(using g: inout SeededGenerator) -> Double {
    var u = g.uniform()
    while u == 0 { u = g.uniform() }
    return reparameterize(Laplace().quantile(u))
  }
  /// H = 1 + ln(2b).
  public var entropy: Double { 1 + log(2 * scale) }
}
