import Foundation

/// The mean-field approximation q(z) = Πⱼ qⱼ(zⱼ) of a Gaussian p(z) = 𝒩(μ, Λ⁻¹),
/// fitted by coordinate ascent (Bishop, PRML §10.1.2).
///
/// The optimal factor given the others is log q*ⱼ(zⱼ) = E_{i≠j}[log p(z)] + const, a quadratic
/// in zⱼ, so q*ⱼ = 𝒩(mⱼ, 1/Λⱼⱼ) with
///
///     mⱼ = μⱼ − Λⱼⱼ⁻¹ Σ_{i≠j} Λⱼᵢ (mᵢ − μᵢ).
///
/// The variances 1/Λⱼⱼ are fixed by the first update; only the means move.
///
/// ```swift
/// let p = try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.9], [0.9, 1]]))
/// var q = GaussianMeanField(target: p, means: [-2, 1])
/// let path = q.cavi()                  // the means after every coordinate update
/// q.variances                          // [0.19, 0.19]
/// q.klDivergence                       // −½ log(1 − 0.9²) = 0.8303656…
/// ```
public struct GaussianMeanField: Sendable, Codable {
  /// The target p = 𝒩(μ, Σ).
  public let target: Gaussian
  /// Λ = Σ⁻¹.
  public let precision: Matrix
  /// The means mⱼ of the factors.
  public var means: Vector

  /// Starts from the given means; the variances are already optimal (1/Λⱼⱼ).
  public init(target: Gaussian, means: Vector) {
    require(
      means.count == target.dimension,
      "GaussianMeanField: \(means.count) initial means for a target of dimension \(target.dimension)")
    self.target = target
    self.precision = target.cholesky.inverse
    self.means = means
  }

  /// The dimension d.
  public var dimension: Int { means.count }
  /// 1/Λⱼⱼ, the variances of the optimal factors (never larger than the marginal variances Σⱼⱼ).
  public var variances: Vector { precision.diagonal.map { 1 / $0 } }
  /// q = 𝒩(m, diag(1/Λⱼⱼ)).
  public var q: DiagonalGaussian { DiagonalGaussian(mean: means, variance: variances) }

  /// The coordinate update q*ⱼ: mⱼ ← μⱼ − Λⱼⱼ⁻¹ Σ_{i≠j} Λⱼᵢ (mᵢ − μᵢ).
  public mutating func update(_ j: Int) {
    var s = 0.0
    for i in 0..<dimension where i != j { s += precision[j, i] * (means[i] - target.mean[i]) }
    means[j] = target.mean[j] - s / precision[j, j]
  }

  /// KL(q‖p) = −ELBO(q) (p is normalized), in closed form.
  public var klDivergence: Double { Gaussian(q).klDivergence(to: target) }

  /// Coordinate ascent: sweeps j = 0, …, d − 1 until no mean moves by more than `tolerance` in a sweep.
  /// Returns the means before the first update and after every single-coordinate update.
  @discardableResult
  public mutating func cavi(tolerance: Double = 1e-13, maxSweeps: Int = 10_000) -> [Vector] {
    var path = [means]
    for _ in 0..<maxSweeps {
      let before = means
      for j in 0..<dimension {
        update(j)
        path.append(means)
      }
      if (means - before).map(Swift.abs).max <= tolerance { break }
    }
    return path
  }
}
