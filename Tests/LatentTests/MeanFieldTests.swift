import XCTest

@testable import Latent

final class MeanFieldTests: XCTestCase {
  /// Bishop PRML §10.1.2: unit variances, correlation ρ = 0.9.
  func testCorrelatedGaussianConvergesToClosedForm() throws {
    let rho = 0.9
    let p = try Gaussian(mean: [1, -0.5], covariance: Matrix([[1, rho], [rho, 1]]))
    var q = GaussianMeanField(target: p, means: [-2, 2])
    let path = q.cavi(tolerance: 1e-14)
    XCTAssertEqual(path.first, [-2, 2])
    assertClose(q.means, p.mean, tol: 1e-12)
    assertClose(q.variances, [1 - rho * rho, 1 - rho * rho], tol: 1e-14)  // 1/Λⱼⱼ = 1 − ρ²
    assertClose(q.klDivergence, -0.5 * log(1 - rho * rho), tol: 1e-12)
    // Each update moves exactly one coordinate, and the error contracts by ρ² per sweep.
    for k in 1..<path.count {
      XCTAssertEqual(zip(path[k].scalars, path[k - 1].scalars).filter { $0 != $1 }.count <= 1, true)
    }
    let e1 = abs(path[2][1] - p.mean[1]), e2 = abs(path[4][1] - p.mean[1])
    assertClose(e2 / e1, rho * rho, tol: 1e-12)
  }

  func testSingleUpdateFormula() throws {
    let p = try Gaussian(mean: [1, -0.5], covariance: Matrix([[1, 0.9], [0.9, 1]]))
    var q = GaussianMeanField(target: p, means: [-2, 2])
    q.update(0)
    // m₁ = μ₁ − Λ₁₁⁻¹Λ₁₂(m₂ − μ₂) = μ₁ + ρ(m₂ − μ₂) for unit variances.
    assertClose(q.means[0], 1 + 0.9 * (2 + 0.5), tol: 1e-14)
    XCTAssertEqual(q.means[1], 2)
  }

  /// KL at the optimum for a 3-D target; the literal is from numpy:
  /// ½(Σⱼ vⱼΛⱼⱼ − 3 + log det Σ − Σⱼ log vⱼ) with vⱼ = 1/Λⱼⱼ, Λ = inv(spd3).
  func testThreeDimensionalTarget() throws {
    let p = try Gaussian(mean: [0.1, 0.2, 0.3], covariance: spd3)
    var q = GaussianMeanField(target: p, means: [3, -3, 3])
    q.cavi()
    assertClose(q.means, p.mean, tol: 1e-11)
    assertClose(q.variances, [3.2, 3.50515464, 2.55], tol: 1e-8)
    assertClose(q.klDivergence, 0.17760163666363815, tol: 1e-13)
    // Mean-field variances never exceed the marginal variances Σⱼⱼ.
    for j in 0..<3 { XCTAssertLessThanOrEqual(q.variances[j], spd3[j, j]) }
  }
}
