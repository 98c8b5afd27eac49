import Foundation

/// Measures of posterior collapse for a model with a one-dimensional latent and prior 𝒩(0, 1)
/// (He et al. 2019, Section 6).
///
/// - **Activity** of a latent unit u: A_u = Cov_x(E_{q(z | x)}[z_u]), the variance over the
///   data of the encoder's mean; the unit is *active* when A_u > 0.01. An encoder that returns
///   the same q for every x has A_u = 0.
/// - **Mutual information** under the encoder's joint q(x, z) = p̂(x) q(z | x), with p̂ the
///   data's empirical distribution and q(z) = (1/n) Σₙ q(z | xₙ) its aggregate posterior:
///
///       I_q = (1/n) Σₙ KL(q(z | xₙ) ‖ p(z)) − KL(q(z) ‖ p(z)),
///
///   the first term in closed form, the second by the midpoint rule on a grid (q(z) is a
///   mixture of n Gaussians). 0 ≤ I_q ≤ log n; He et al. estimate the second term by sampling,
///   which the grid makes unnecessary in one dimension.
/// - The same under the model's own posterior, I_p = (1/n) Σₙ KL(p(z | xₙ) ‖ p(z)) −
///   KL(p̄(z) ‖ p(z)), p̄ the average posterior, all on the posteriors' common grid.
public enum PosteriorCollapse {
  /// He et al.'s threshold on A_u.
  public static let activityThreshold = 0.01

  /// A = (1/n) Σₙ (μₙ − μ̄)², the variance of the encoder means over the data.
  /// - Throws: ``ModelError/notEnoughSamples(model:samples:)`` for fewer than 2 means.
  public static func activity(_ means: [Double]) throws -> Double {
    guard means.count >= 2 else {
      throw ModelError.notEnoughSamples(model: "PosteriorCollapse.activity", samples: means.count)
    }
    let m = means.reduce(0, +) / Double(means.count)
    return means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(means.count)
  }

  /// 1 when ``activity(_:)`` exceeds `threshold`, else 0: the active units of a 1-D latent.
  public static func activeUnits(_ means: [Double], threshold: Double = activityThreshold) throws -> Int {
    try activity(means) > threshold ? 1 : 0
  }

  /// I_q, the encoder's mutual information, for q(z | xₙ) = 𝒩(μₙ, exp(log σ²ₙ)), with q(z) on
  /// the cell centres `points` (equally spaced; they must hold the aggregate's mass).
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for means and log-variances of
  ///   different lengths, none, or fewer than two points.
  public static func mutualInformation(mean: [Double], logVariance: [Double], points: [Double]) throws -> Double {
    guard mean.count == logVariance.count, !mean.isEmpty, points.count >= 2 else {
      throw ModelError.invalidArgument(
        model: "PosteriorCollapse.mutualInformation",
        message:
          "\(mean.count) means, \(logVariance.count) log-variances and \(points.count) grid points; needs equal counts, at least one Gaussian and two points"
      )
    }
    let n = Double(mean.count)
    var averageKL = 0.0
    for (m, lv) in zip(mean, logVariance) { averageKL += 0.5 * (Foundation.exp(lv) + m * m - 1 - lv) / n }
    var aggregate = [Double](repeating: 0, count: points.count)
    for (m, lv) in zip(mean, logVariance) {
      let v = Foundation.exp(lv), c = -0.5 * (logTwoPi + lv)
      for (g, z) in points.enumerated() { aggregate[g] += Foundation.exp(c - 0.5 * (z - m) * (z - m) / v) / n }
    }
    return averageKL - klToPrior(density: aggregate, points: points)
  }

  /// I_p, the model's mutual information, from the exact posteriors of the data on one grid.
  /// - Throws: ``QuadratureError/shapeMismatch(_:)`` unless every posterior has the same grid.
  public static func mutualInformation(_ posteriors: [LinePosterior]) throws -> Double {
    guard let first = posteriors.first, posteriors.allSatisfy({ $0.points == first.points }) else {
      throw QuadratureError.shapeMismatch(
        "PosteriorCollapse.mutualInformation: needs posteriors on one grid, got \(posteriors.count)")
    }
    let n = Double(posteriors.count), h = first.spacing
    var averageKL = 0.0
    var aggregate = [Double](repeating: 0, count: first.points.count)
    for p in posteriors {
      let density = p.weights.map { $0 / h }
      averageKL += klToPrior(density: density, points: p.points) / n
      for g in density.indices { aggregate[g] += density[g] / n }
    }
    return averageKL - klToPrior(density: aggregate, points: first.points)
  }

  /// KL(f ‖ 𝒩(0, 1)) = h Σ_g f_g (log f_g − log 𝒩(z_g; 0, 1)) for a density tabulated at cell centres.
  static func klToPrior(density f: [Double], points: [Double]) -> Double {
    let h = points[1] - points[0]
    var kl = 0.0
    for (g, z) in points.enumerated() where f[g] > 0 {
      kl += h * f[g] * (Foundation.log(f[g]) + 0.5 * (logTwoPi + z * z))
    }
    return kl
  }
}
