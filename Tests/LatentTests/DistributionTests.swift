import XCTest

@testable import Latent

final class DistributionTests: XCTestCase {
  // All log-density literals below were computed with mpmath at 40 digits.
  func testNormalLogDensity() {
    assertClose(Normal(mean: 0.5, variance: 2).logDensity(1.3), -1.4255121234846453965, tol: 1e-15)
    assertClose(Normal.standard.logDensity(40), -800.91893853320467274, tol: 1e-12)
    assertClose(Normal(mean: 1, standardDeviation: 2).variance, 4, tol: 0)
    // Φ(1) from scipy.stats.norm.cdf(1)
    assertClose(Normal.standard.cdf(1), 0.8413447460685429, tol: 1e-15)
    assertClose(Normal(variance: 3).entropy, 0.5 * log(2 * Double.pi * exp(1) * 3), tol: 1e-14)
  }

  func testDiagonalGaussianLogDensity() {
    let q = DiagonalGaussian(mean: [2, 0], variance: [0.25, 4])
    assertClose(q.logDensity([1, -1]), -3.9628770664093454836, tol: 1e-15)
    let viaLogVar = DiagonalGaussian(mean: [2, 0], logVariance: [log(0.25), log(4)])
    assertClose(viaLogVar.variance, q.variance, tol: 1e-15)
    // Agrees with the full-covariance implementation.
    assertClose(Gaussian(q).logDensity([1, -1]), q.logDensity([1, -1]), tol: 1e-14)
    assertClose(Gaussian(q).entropy, q.entropy, tol: 1e-14)
  }

  func testGaussianLogDensityEntropyAndBatch() throws {
    let p = try Gaussian(mean: [0.1, 0.2, 0.3], covariance: spd3)
    assertClose(p.logDensity([1, -0.5, 2]), -5.5930328658092723117, tol: 1e-14)
    assertClose(p.entropy, 6.1111566403190762333, tol: 1e-14)
    let X = Matrix([[1, -0.5, 2], [0.1, 0.2, 0.3], [3, 1, -1]])
    let batch = p.logDensities(rows: X)
    for i in 0..<3 { assertClose(batch[i], p.logDensity(X.row(i)), tol: 1e-13) }
    assertClose(p.logLikelihood(X), batch.sum, tol: 1e-13)
    XCTAssertEqual(
      thrownMessage { try Gaussian(mean: [0, 0], covariance: Matrix([[1, 2], [2, 1]])) },
      "cholesky: 2x2 matrix is not positive definite (leading minor of order 2 is not positive)")
    XCTAssertEqual(
      thrownMessage { try Gaussian(mean: [0, 0], covariance: spd3) },
      "Gaussian: mean of length 2 with 3x3 covariance")
  }

  func testGaussianSampleMoments() throws {
    let p = try Gaussian(mean: [1, -2, 0.5], covariance: spd3)
    var g = SeededGenerator(seed: 5)
    let n = 40_000
    let X = Matrix(rows: p.sample(n, using: &g))
    // Mean SE = √(Σᵢᵢ/n) ≤ √(5/40000) ≈ 0.011; allow 4 SE.
    assertClose(X.columnMeans, p.mean, tol: 0.045)
    // Covariance entries: SE ≈ √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n) ≤ 0.035; allow 4 SE.
    assertClose(X.covariance(), spd3, tol: 0.14)
  }

  func testKLWorkedExample() {
    // ½[(0.25 + 4 − 1 − ln 0.25) + (4 + 0 − 1 − ln 4)] = ½ · 6.25 = 3.125 exactly (the ln terms cancel).
    let q = DiagonalGaussian(mean: [2, 0], variance: [0.25, 4])
    assertClose(q.klDivergence(to: .standardNormal), 3.125, tol: 1e-15)
    assertClose(q.klDivergence(to: .standardNormal(dimension: 2)), 3.125, tol: 1e-15)
    assertClose(Gaussian(q).klDivergence(to: .standardNormal(dimension: 2)), 3.125, tol: 1e-14)
    XCTAssertEqual(DiagonalGaussian.standardNormal(dimension: 3).klDivergence(to: .standardNormal), 0)
    // Near σ² = 1 the closed form keeps full relative accuracy (naive r − 1 − ln r loses ~6 digits here).
    // mpmath (50 digits) of ½(r − 1 − ln r) for the Double r = 1 + 1e-6:
    let tiny = DiagonalGaussian(mean: [0], variance: [1 + 1e-6]).klDivergence(to: .standardNormal)
    assertClose(tiny, 2.4999983329232504e-13, tol: 1e-27)
    for r in [0.3, 0.6, 0.9, 0.999, 1.001, 1.2, 1.49, 1.6, 3.0] {
      assertClose(Normal(variance: r).klDivergence(to: .standard), 0.5 * (r - 1 - log(r)), tol: 1e-15)
    }
  }

  func testUnivariateAndDiagonalKLClosedForms() {
    // mpmath: ½[0.25/2 + (1.5 − (−0.5))²/2 − 1 − ln(0.25/2)]
    assertClose(
      Normal(mean: 1.5, variance: 0.25).klDivergence(to: Normal(mean: -0.5, variance: 2)),
      1.6022207708399179641, tol: 1e-15)
    let q = DiagonalGaussian(mean: [1.5, 0], variance: [0.25, 4])
    let p = DiagonalGaussian(mean: [-0.5, 0], variance: [2, 4])
    assertClose(q.klDivergence(to: p), 1.6022207708399179641, tol: 1e-15)
  }

  func testFullKLAgainstMpmath() throws {
    let q = try Gaussian(mean: [0.1, 0.2, 0.3], covariance: spd3)
    let p = try Gaussian(mean: [1, 0, -1], covariance: Matrix([[2, 0.3, 0], [0.3, 1, -0.2], [0, -0.2, 1.5]]))
    assertClose(q.klDivergence(to: p), 2.7123430396111365799, tol: 1e-14)
    XCTAssertEqual(q.klDivergence(to: q), 0, accuracy: 1e-14)
  }

  /// Monte Carlo KL(q‖p) ≈ mean of log q(x) − log p(x), x ~ q; checked within 4 standard errors.
  func monteCarloKL<Q: Distribution, P: Distribution>(_ q: Q, _ p: P, n: Int, seed: UInt64) -> (Double, Double)
  where Q.Value == P.Value {
    var g = SeededGenerator(seed: seed)
    let w = (0..<n).map { _ -> Double in
      let x = q.sample(using: &g); return q.logDensity(x) - p.logDensity(x)
    }
    let m = w.reduce(0, +) / Double(n)
    let sd = (w.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
    return (m, sd / Double(n).squareRoot())
  }

  func testKLClosedFormsAgreeWithMonteCarlo() throws {
    let qd = DiagonalGaussian(mean: [2, 0], variance: [0.25, 4])
    var (m, se) = monteCarloKL(qd, DiagonalGaussian.standardNormal(dimension: 2), n: 50_000, seed: 1)
    assertClose(m, 3.125, tol: 4 * se, "diag→std (SE \(se))")
    let pd = DiagonalGaussian(mean: [-0.5, 1], variance: [2, 0.5])
    (m, se) = monteCarloKL(qd, pd, n: 50_000, seed: 2)
    assertClose(m, qd.klDivergence(to: pd), tol: 4 * se, "diag→diag (SE \(se))")
    let q = try Gaussian(mean: [0.1, 0.2, 0.3], covariance: spd3)
    let p = try Gaussian(mean: [1, 0, -1], covariance: Matrix([[2, 0.3, 0], [0.3, 1, -0.2], [0, -0.2, 1.5]]))
    (m, se) = monteCarloKL(q, p, n: 50_000, seed: 3)
    assertClose(m, q.klDivergence(to: p), tol: 4 * se, "full→full (SE \(se))")
    let gq = Gamma(shape: 2.5, rate: 1.5), gp = Gamma(shape: 1.2, rate: 0.8)
    (m, se) = monteCarloKL(gq, gp, n: 50_000, seed: 4)
    assertClose(m, gq.klDivergence(to: gp), tol: 4 * se, "gamma→gamma (SE \(se))")
    let bq = Bernoulli(logits: [0.3, -2, 5]), bp = Bernoulli(logits: [0, 1, -1])
    (m, se) = monteCarloKL(bq, bp, n: 50_000, seed: 5)
    assertClose(m, bq.klDivergence(to: bp), tol: 4 * se, "bernoulli (SE \(se))")
  }

  func testGammaAgainstMpmathAndQuadrature() {
    let q = Gamma(shape: 2.5, rate: 1.5)
    assertClose(q.logDensity(0.7), -0.85603251611060677306, tol: 1e-14)
    assertClose(q.entropy, 1.3244828013968899968, tol: 1e-14)  // lgamma and ψ each to ~1e-15
    // scipy.integrate.quad of q·(log q − log p) over (0, ∞): 0.13171039700276335 (abs. error 4e-15)
    assertClose(q.klDivergence(to: Gamma(shape: 1.2, rate: 0.8)), 0.13171039700276335, tol: 1e-13)
    XCTAssertEqual(q.klDivergence(to: q), 0, accuracy: 1e-15)
    XCTAssertEqual(q.logDensity(-1), -.infinity)
    assertClose(q.mean, 2.5 / 1.5, tol: 1e-15)
  }

  func testBernoulliAgainstReferences() {
    let b = Bernoulli(logits: [0.3, -2, 5])
    // mpmath: Σ log σ(ℓ) or log(1 − σ(ℓ)) for x = (1, 0, 1)
    assertClose(b.logDensity([1, 0, 1]), -0.6879986040006177, tol: 1e-15)
    // scipy.stats.bernoulli(expit(ℓ)).entropy() summed
    assertClose(b.entropy, 1.0875359476227788, tol: 1e-14)
    // numpy: Σ pq log(pq/pp) + (1−pq) log((1−pq)/(1−pp))
    assertClose(b.klDivergence(to: Bernoulli(logits: [0, 1, -1])), 2.10623883502721, tol: 1e-13)
    // Extreme logits stay finite.
    XCTAssertEqual(Bernoulli(logit: 800).logDensity([0]), -800)
    XCTAssertEqual(Bernoulli(logit: -800).logDensity([0]), 0)
    let x = FloatMatrix([[1, 0, 1], [0, 0, 1]]), l = FloatMatrix([[0.3, -2, 5], [0.3, -2, 5]])
    // The minibatch version the VAE uses: −BCE per row is the Bernoulli log-likelihood.
    let ll = VariationalAutoencoder.binaryCrossEntropy(logits: l, targets: x).map { -$0 }
    assertClose(ll[0], -0.6879986040006177, tol: 1e-6)
    assertClose(ll[1], Bernoulli(logits: [0.3, -2, 5]).logDensity([0, 0, 1]), tol: 1e-6)
  }
}
