import XCTest

@testable import Latent

final class GradientEstimatorTests: XCTestCase {
  let f = { (z: Double) in z * z }
  let fPrime = { (z: Double) in 2 * z }

  func testSingleDrawFormulas() {
    let q = Normal(mean: 1, standardDeviation: 2)
    XCTAssertEqual(q.reparameterize(0.5), 2)
    // z = 2: f = 4, score = ((z − μ)/σ², ((z − μ)² − σ²)/σ³) = (1/4, −3/8).
    let sf = scoreFunctionGradient(f, q, at: 2)
    assertClose(sf.mean, 1, tol: 1e-15)
    assertClose(sf.standardDeviation, -1.5, tol: 1e-15)
    let withBaseline = scoreFunctionGradient(f, q, at: 2, baseline: 1)
    assertClose(withBaseline.mean, 0.75, tol: 1e-15)
    // ε = 0.5: z = 2, f′ = 4, gradient (f′, f′ε) = (4, 2).
    let pw = pathwiseGradient(fPrime, q, epsilon: 0.5)
    XCTAssertEqual(pw, LocationScaleGradient(mean: 4, standardDeviation: 2))
  }

  /// Both estimators are unbiased for ∇_{μ,σ} E[z²] = (2μ, 2σ); the variances at μ = σ = 1 are
  /// 30 and 4 for ∂/∂μ (ratio 7.5) and 136 and 12 for ∂/∂σ (Gaussian moments; confirmed with
  /// mpmath.quad against the standard normal density).
  func testUnbiasedAndVariances() {
    let q = Normal(mean: 1, standardDeviation: 1)
    var g = SeededGenerator(seed: 5)
    let n = 400_000
    var sfMu = [Double](), sfSigma = [Double](), pwMu = [Double](), pwSigma = [Double]()
    for _ in 0..<n {
      let eps = g.normal()
      let s = scoreFunctionGradient(f, q, at: q.reparameterize(eps))
      let p = pathwiseGradient(fPrime, q, epsilon: eps)
      sfMu.append(s.mean); sfSigma.append(s.standardDeviation)
      pwMu.append(p.mean); pwSigma.append(p.standardDeviation)
    }
    let estimates = [sfMu, sfSigma, pwMu, pwSigma].map { MonteCarloEstimate($0) }
    for e in estimates { XCTAssertLessThan(e.standardErrors(from: 2), 4) }
    assertClose(estimates[0].variance, 30, tol: 1.5)
    assertClose(estimates[1].variance, 136, tol: 12)
    assertClose(estimates[2].variance, 4, tol: 0.1)
    assertClose(estimates[3].variance, 12, tol: 0.3)
  }

  func testScoreHasMeanZero() {
    let q = Normal(mean: -0.5, standardDeviation: 0.7)
    var g = SeededGenerator(seed: 6)
    let scores = (0..<200_000).map { _ in q.score(q.sample(using: &g)) }
    XCTAssertLessThan(MonteCarloEstimate(scores.map(\.mean)).standardErrors(from: 0), 4)
    XCTAssertLessThan(MonteCarloEstimate(scores.map(\.standardDeviation)).standardErrors(from: 0), 4)
  }

  func testMonteCarloEstimate() {
    let e = MonteCarloEstimate([1, 2, 3, 4])
    XCTAssertEqual(e.count, 4)
    assertClose(e.mean, 2.5, tol: 0)
    assertClose(e.variance, 5.0 / 3, tol: 1e-15)
    assertClose(e.standardError, (5.0 / 12).squareRoot(), tol: 1e-15)
    // Welford stays exact with a large offset.
    assertClose(MonteCarloEstimate([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]).variance, 5.0 / 3, tol: 1e-6)
  }

  /// z = μ + Lε has log q(z) = log 𝒩(ε; 0, I) − Σᵢ ln Lᵢᵢ.
  func testGaussianChangeOfVariables() throws {
    let q = try Gaussian(mean: [0.1, 0.2, 0.3], covariance: spd3)
    let eps: Vector = [0.3, -1.1, 0.8]
    let z = q.reparameterize(eps)
    let viaJacobian = Gaussian.standardNormal(dimension: 3).logDensity(eps) - q.cholesky.L.diagonal.map(log).sum
    assertClose(q.logDensity(z), viaJacobian, tol: 1e-13)
  }
}
