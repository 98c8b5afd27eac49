import Foundation

/// The Gumbel distribution with location μ and scale β > 0, the law of the maximum of many
/// light-tailed draws: p(x) = (1/β) exp(−t − e⁻ᵗ) with t = (x − μ)/β, F(x) = exp(−e⁻ᵗ);
/// mean μ + βγ (γ the Euler–Mascheroni constant), variance π²β²/6, entropy log β + γ + 1.
///
/// Sampled by the inverse CDF, x = μ − β log(−log u) for u ~ Uniform(0, 1) (u = 0 is redrawn,
/// so every draw is finite). The standard Gumbel(0, 1) is the noise of the Gumbel-max trick
/// (``gumbelMax(logits:noise:)``).
public struct Gumbel: Distribution, Hashable, Sendable, Codable {
  /// μ.
  public var location: Double
  /// β.
  public var scale: Double

  /// The Euler–Mascheroni constant γ, the mean of the standard Gumbel distribution.
  public static let eulerGamma = 0.577_215_664_901_532_860_6

  /// Gumbel(μ, β).
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` unless μ is finite and β is
  ///   positive and finite.
  public init(location: Double = 0, scale: Double = 1) throws {
    guard location.isFinite, scale > 0, scale.isFinite else {
      throw ModelError.invalidArgument(
        model: "Gumbel",
        message: "location \(formatScalar(location)) and scale \(formatScalar(scale)); the location must be "
          + "finite and the scale positive and finite")
    }
    self.location = location
    self.scale = scale
  }

  /// The standard Gumbel(0, 1).
  public static let standard = try! Gumbel()

  /// μ + βγ.
  public var mean: Double { location + scale * Self.eulerGamma }
  /// π²β²/6.
  public var variance: Double { Double.pi * Double.pi * scale * scale / 6 }
  /// log β + γ + 1.
  public var entropy: Double { Foundation.log(scale) + Self.eulerGamma + 1 }

  /// log p(x) = −log β − t − e⁻ᵗ, t = (x − μ)/β.
  public func logDensity(_ x: Double) -> Double {
    let t = (x - location) / scale
    return -Foundation.log(scale) - t - Foundation.exp(-t)
  }
  /// F(x) = exp(−e⁻ᵗ).
  public func cdf(_ x: Double) -> Double { Foundation.exp(-Foundation.exp(-(x - location) / scale)) }
  /// F⁻¹(u) = μ − β log(−log u) for 0 < u < 1 (−∞ at u = 0, +∞ at u = 1).
  public func quantile(_ u: Double) -> Double { location - scale * Foundation.log(-Foundation.log(u)) }
  /// x = F⁻¹(u) with u ~ Uniform(0, 1), u = 0 redrawn.
  public func sample(using g: inout SeededGenerator) -> Double {
    var u = g.uniform()
    while u == 0 { u = g.uniform() }
    return quantile(u)
  }
}

extension SeededGenerator {
  /// G ~ Gumbel(0, 1) as −log(−log U), U = ``uniform()`` redrawn while 0.
  public mutating func gumbel() -> Double { Gumbel.standard.sample(using: &self) }

  /// An m×n matrix of independent Gumbel(0, 1) draws (row by row), e.g. the noise of the
  /// Gumbel-max trick or of the Gumbel-softmax relaxation for m examples of n categories.
  public mutating func gumbelMatrix(rows: Int, cols: Int) -> Matrix {
    var s = [Double]()
    s.reserveCapacity(rows * cols)
    for _ in 0..<(rows * cols) { s.append(gumbel()) }
    return Matrix(rows: rows, cols: cols, scalars: s)
  }

  /// ``gumbelMatrix(rows:cols:)`` in single precision (the draws are made in Double and rounded).
  public mutating func gumbelFloatMatrix(rows: Int, cols: Int) -> FloatMatrix {
    var s = [Float]()
    s.reserveCapacity(rows * cols)
    for _ in 0..<(rows * cols) { s.append(Float(gumbel())) }
    return FloatMatrix(rows: rows, cols: cols, scalars: s)
  }
}
