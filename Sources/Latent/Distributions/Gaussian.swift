import Foundation

/// A multivariate Gaussian 𝒩(μ, Σ) with full covariance, parameterised by the
/// Cholesky factor Σ = LLᵀ.
///
/// Every formula goes through L: log det Σ = 2 Σᵢ ln Lᵢᵢ, the Mahalanobis term
/// (x − μ)ᵀΣ⁻¹(x − μ) = ‖L⁻¹(x − μ)‖², samples are μ + Lε. Σ⁻¹ is never formed.
public struct Gaussian: Distribution, Sendable, Codable {
  /// μ.
  public let mean: Vector
  /// Σ = LLᵀ.
  public let cholesky: Cholesky

  /// 𝒩(μ, Σ). Throws a readable error if Σ is not positive definite or the shapes differ.
  public init(mean: Vector, covariance: Matrix) throws {
    guard covariance.rows == mean.count && covariance.cols == mean.count else {
      throw LinearAlgebraError.dimensionMismatch(
        "Gaussian: mean of length \(mean.count) with \(covariance.shapeDescription) covariance")
    }
    self.mean = mean
    self.cholesky = try covariance.cholesky()
  }
  /// 𝒩(μ, LLᵀ) from a lower-triangular factor with positive diagonal.
  public init(mean: Vector, choleskyFactor L: Matrix) {
    require(
      L.rows == mean.count && L.cols == mean.count,
      "Gaussian: mean of length \(mean.count) with \(L.shapeDescription) Cholesky factor")
    self.mean = mean
    self.cholesky = Cholesky(lower: L)
  }
  /// 𝒩(0, I) in d dimensions.
  public static func standardNormal(dimension d: Int) -> Gaussian {
    Gaussian(mean: .zeros(d), choleskyFactor: .identity(d))
  }

  /// The dimension d.
  public var dimension: Int { mean.count }
  /// Σ = LLᵀ.
  public var covariance: Matrix { cholesky.matrix }
  /// log det Σ = 2 Σᵢ ln Lᵢᵢ.
  public var logDeterminant: Double { cholesky.logDeterminant }

  /// log p(x) = −½ [d ln(2π) + log det Σ + ‖L⁻¹(x − μ)‖²].
  public func logDensity(_ x: Vector) -> Double {
    require(
      x.count == dimension, "Gaussian.logDensity: point has length \(x.count), distribution has dimension \(dimension)")
    let z = cholesky.whiten(x - mean)
    return -0.5 * (Double(dimension) * logTwoPi + logDeterminant + z.squaredNorm)
  }

  /// log p(xᵢ) for every row xᵢ of X, with one triangular solve for all rows.
  public func logDensities(rows X: Matrix) -> Vector {
    require(X.cols == dimension, "Gaussian.logDensities: \(X.shapeDescription) data for dimension \(dimension)")
    let Z = try! cholesky.L.solveTriangular((X - mean).transposed, lower: true)  // d×n, column i = L⁻¹(xᵢ − μ)
    let sq = (Z ⊙ Z).columnSums
    let c = Double(dimension) * logTwoPi + logDeterminant
    return sq.map { -0.5 * (c + $0) }
  }
  /// The log-likelihood Σᵢ log p(xᵢ) of the rows of X.
  public func logLikelihood(_ X: Matrix) -> Double { logDensities(rows: X).sum }

  /// x = μ + Lε, ε ~ 𝒩(0, I).
  public func sample(using g: inout SeededGenerator) -> Vector { mean + cholesky.L * g.normalVector(dimension) }
  /// H = ½ [d ln(2πe) + log det Σ].
  public var entropy: Double { 0.5 * (Double(dimension) * (logTwoPi + 1) + logDeterminant) }

  /// KL(q‖p) = ½ [tr(Σ_p⁻¹Σ_q) + (μ_p − μ_q)ᵀΣ_p⁻¹(μ_p − μ_q) − d + log det Σ_p − log det Σ_q]
  /// for q = self, with tr(Σ_p⁻¹Σ_q) = ‖L_p⁻¹L_q‖²_F.
  public func klDivergence(to p: Gaussian) -> Double {
    require(dimension == p.dimension, "klDivergence: dimensions \(dimension) and \(p.dimension) differ")
    let M = try! p.cholesky.L.solveTriangular(cholesky.L, lower: true)
    let trace = (M ⊙ M).sum
    let z = p.cholesky.whiten(mean - p.mean)
    return 0.5 * (trace + z.squaredNorm - Double(dimension) + p.logDeterminant - logDeterminant)
  }
}

extension Gaussian {
  /// The same distribution with full covariance diag(σ²).
  public init(_ q: DiagonalGaussian) {
    self.init(mean: q.mean, choleskyFactor: .diagonal(q.standardDeviation))
  }
}
