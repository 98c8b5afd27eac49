import XCTest

@testable import Latent

final class NormalGammaTests: XCTestCase {
  let x: Vector = [0.3, -1.2, 2.1, 0.8, 1.5]
  let prior = NormalGamma(location: 0.5, lambda: 2, shape: 3, rate: 2)

  func testPosteriorAndLogEvidence() {
    let post = prior.posterior(given: x)
    // Conjugate update by hand (numpy): λ_N = 7, μ_N = (2·0.5 + 5·0.7)/7, a_N = 5.5, b_N below.
    assertClose(post.location, 0.6428571428571429, tol: 1e-15)
    assertClose(post.lambda, 7, tol: 0)
    assertClose(post.shape, 5.5, tol: 0)
    assertClose(post.rate, 5.218571428571429, tol: 1e-14)
    // log p(x) by 2-D adaptive quadrature of likelihood × prior with mpmath at 30 digits:
    // mp.log(mp.quad(joint, [-inf, …, inf], [0, …, inf])) = −8.9641961261677689097.
    assertClose(prior.logEvidence(x), -8.9641961261677689097, tol: 1e-13)
  }

  func testLogEvidenceIsBayesRuleAtAnyPoint() {
    // log p(x) = log p(x | μ, τ) + log p(μ, τ) − log p(μ, τ | x) for every (μ, τ).
    let post = prior.posterior(given: x)
    for point in [(0.7, 1.3), (-1.0, 0.2), (2.0, 4.0)] {
      let likelihood = x.reduce(0) { $0 + Normal(mean: point.0, variance: 1 / point.1).logDensity($1) }
      let bayes = likelihood + prior.logDensity(point) - post.logDensity(point)
      assertClose(bayes, prior.logEvidence(x), tol: 1e-12)
    }
  }

  func testDensities() {
    // scipy: gamma.logpdf(1.3, 3, scale=1/2) + norm.logpdf(0.7, 0.5, 1/sqrt(2·1.3))
    assertClose(prior.logDensity((0.7, 1.3)), -1.1821599206360816, tol: 1e-14)
    // scipy: t.logpdf(0.7, df=6, loc=0.5, scale=sqrt(2/(3·2)))
    assertClose(prior.meanMarginalLogDensity(0.7), -0.48042130695417284, tol: 1e-14)
    XCTAssertEqual(prior.logDensity((0.7, -1)), -.infinity)
  }

  func testSampleMoments() {
    var g = SeededGenerator(seed: 11)
    let draws = prior.sample(100_000, using: &g)
    // E[τ] = a/b = 1.5, E[μ] = μ₀, Var[μ] = b/(λ₀(a − 1)) = 0.5.
    let tau = MonteCarloEstimate(draws.map(\.precision)), mu = MonteCarloEstimate(draws.map(\.mean))
    XCTAssertLessThan(tau.standardErrors(from: 1.5), 4)
    XCTAssertLessThan(mu.standardErrors(from: 0.5), 4)
    assertClose(mu.variance, 0.5, tol: 0.02)
  }

  func testELBOAgainstQuadrature() {
    let q = NormalGammaMeanField(
      prior: prior, data: x, qMean: Normal(mean: 0.6, variance: 0.05),
      qPrecision: Gamma(shape: 4, rate: 3))
    // scipy.integrate.dblquad of q(μ)q(τ)[log p(x, μ, τ) − log q(μ)q(τ)], epsabs = epsrel = 1e-13.
    assertClose(q.elbo, -9.347369777317477, tol: 1e-10)
    // log p(x) = ELBO + KL(q ‖ exact posterior) for any q, with the KL computed separately.
    assertClose(q.elbo + q.klDivergence(to: prior.posterior(given: x)), prior.logEvidence(x), tol: 1e-12)
  }

  func testCAVIFixedPoint() {
    var q = NormalGammaMeanField(
      prior: prior, data: x, qMean: Normal(mean: -3, variance: 10),
      qPrecision: Gamma(shape: 1, rate: 10))
    let history = q.cavi()
    for k in 1..<history.count { XCTAssertGreaterThanOrEqual(history[k], history[k - 1] - 1e-12) }
    // The fixed point iterated independently in numpy (500 iterations of PRML 10.26–10.30).
    assertClose(q.qMean.mean, 0.6428571428571429, tol: 1e-14)
    assertClose(q.qMean.variance, 0.13554730983302413, tol: 1e-12)
    assertClose(q.qPrecision.shape, 6, tol: 0)
    assertClose(q.qPrecision.rate, 5.692987012987014, tol: 1e-11)
    let logEvidence = prior.logEvidence(x), kl = q.klDivergence(to: prior.posterior(given: x))
    XCTAssertGreaterThan(kl, 0)
    XCTAssertLessThan(q.elbo, logEvidence)
    assertClose(logEvidence - q.elbo, kl, tol: 1e-12)
  }
}
