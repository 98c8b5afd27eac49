import Foundation

/// The exact posterior of a model with a one-dimensional latent z ~ 𝒩(0, 1), on a grid: the
/// midpoint rule on [a, b] cut into G cells of width h, centres z_g = a + (g + ½)h,
///
///     log p(x) ≈ log Σ_g exp(log p(x | z_g) + log 𝒩(z_g; 0, 1)) + log h,
///     E[z | x] ≈ Σ_g w_g z_g,   Var[z | x] ≈ Σ_g w_g (z_g − E[z | x])²,
///
/// with w_g ∝ p(x, z_g) normalized over the cells (a log-sum-exp, so log p(x, z) far below
/// the smallest Double is no trouble). For a smooth integrand that has died out inside [a, b]
/// the rule is exponentially accurate in s/h (s the posterior's standard deviation): check a
/// grid by halving h and comparing (the line's 1-D version of ``LatentGrid``).
public struct LinePosterior: Sendable, Hashable, Codable {
  /// The cell centres z_g.
  public let points: [Double]
  /// h, the cell width.
  public let spacing: Double
  /// log p(x, z_g) at every cell.
  public let logJoint: [Double]

  /// The cell centres of G cells over [a, b].
  /// - Throws: ``QuadratureError/invalidGrid(_:)`` unless a < b are finite and G ≥ 2.
  public static func grid(_ range: ClosedRange<Double>, cells: Int) throws -> [Double] {
    guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound, cells >= 2 else {
      throw QuadratureError.invalidGrid(
        "LinePosterior.grid: \(cells) cells over \(range.lowerBound)...\(range.upperBound); needs a finite, increasing range and at least 2 cells"
      )
    }
    let h = (range.upperBound - range.lowerBound) / Double(cells)
    return (0..<cells).map { range.lowerBound + (Double($0) + 0.5) * h }
  }

  /// The posterior from log p(x | z_g) at the centres of a grid from ``grid(_:cells:)``.
  /// - Throws: ``QuadratureError/shapeMismatch(_:)`` when the counts differ,
  ///   ``QuadratureError/invalidValue(_:)`` when no value is finite.
  public init(points: [Double], logLikelihood: [Double]) throws {
    guard points.count == logLikelihood.count, points.count >= 2 else {
      throw QuadratureError.shapeMismatch(
        "LinePosterior: \(logLikelihood.count) log-likelihoods at \(points.count) points; needs one per point, at least 2"
      )
    }
    self.points = points
    spacing = points[1] - points[0]
    logJoint = zip(points, logLikelihood).map { z, l in l - 0.5 * z * z - 0.5 * logTwoPi }
    guard let top = logJoint.max(), top.isFinite else {
      throw QuadratureError.invalidValue(
        "LinePosterior: the largest log p(x, z) on the grid is \(logJoint.max() ?? .nan)")
    }
  }

  /// The posteriors of every row of `logLikelihoods` (n × G, log p(xₙ | z_g)) on one grid.
  public static func posteriors(_ logLikelihoods: Matrix, at points: [Double]) throws -> [LinePosterior] {
    guard logLikelihoods.cols == points.count else {
      throw QuadratureError.shapeMismatch(
        "LinePosterior.posteriors: log-likelihoods \(logLikelihoods.shapeDescription) at \(points.count) points")
    }
    return try (0..<logLikelihoods.rows).map { n in
      try LinePosterior(
        points: points, logLikelihood: Array(logLikelihoods.scalars[(n * points.count)..<((n + 1) * points.count)]))
    }
  }

  /// log p(x), by the midpoint rule.
  public var logEvidence: Double { logSumExp(logJoint) + Foundation.log(spacing) }

  /// w_g = p(x, z_g) / Σ p(x, z_g'), the posterior's weight in each cell.
  public var weights: [Double] {
    let top = logJoint.max()!
    let w = logJoint.map { Foundation.exp($0 - top) }
    let total = w.reduce(0, +)
    return w.map { $0 / total }
  }

  /// E[z | x].
  public var mean: Double { zip(weights, points).reduce(0) { $0 + $1.0 * $1.1 } }

  /// Var[z | x].
  public var variance: Double {
    let w = weights, m = zip(w, points).reduce(0) { $0 + $1.0 * $1.1 }
    return zip(w, points).reduce(0) { $0 + $1.0 * ($1.1 - m) * ($1.1 - m) }
  }

  /// The posterior mass in the first and last cells: near zero when the grid holds the posterior.
  public var edgeMass: Double { let w = weights; return w[0] + w[w.count - 1] }
}
