import XCTest

@testable import Latent

final class ReparameterizedDistributionTests: XCTestCase {
  // Literals from scipy.stats (expon, laplace, lognorm with s = σ, scale = e^μ).
  func testExponential() {
    let p = Exponential(rate: 2.5)
    assertClose(p.logDensity(0.7), -0.8337092681258448, tol: 1e-15)
    assertClose(p.quantile(0.3), 0.142669977575493, tol: 1e-15)
    assertClose(p.cdf(p.quantile(0.3)), 0.3, tol: 1e-15)
    assertClose(p.entropy, 0.083709268125845, tol: 1e-15)
    XCTAssertEqual(p.logDensity(-1), -.infinity)
    var g = SeededGenerator(seed: 1)
    let e = MonteCarloEstimate(p.sample(200_000, using: &g))
    XCTAssertLessThan(e.standardErrors(from: p.mean), 4)
    assertClose(e.variance, p.variance, tol: 0.01 * p.variance * 4)
  }

  func testLaplace() {
    let p = Laplace(location: 0.5, scale: 1.5)
    assertClose(p.logDensity(-0.4), -1.6986122886681099, tol: 1e-15)
    assertClose(p.quantile(0.2), -0.8744360978112324, tol: 1e-14)
    assertClose(p.quantile(0.9), 2.9141568686511508, tol: 1e-14)
    assertClose(p.cdf(-0.4), 0.2744058180470132, tol: 1e-15)
    assertClose(p.entropy, 2.09861228866811, tol: 1e-14)
    var g = SeededGenerator(seed: 2)
    let e = MonteCarloEstimate(p.sample(200_000, using: &g))
    XCTAssertLessThan(e.standardErrors(from: 0.5), 4)
    assertClose(e.variance, 4.5, tol: 0.1)
  }

  func testLogNormal() {
    let p = LogNormal(logMean: 0.3, logVariance: 0.25)
    assertClose(p.logDensity(1.7), -0.8627983840828887, tol: 1e-15)
    assertClose(p.mean, 1.5295904196633787, tol: 1e-15)
    assertClose(p.variance, 0.664519172020442, tol: 1e-15)
    assertClose(p.entropy, 1.0257913526447275, tol: 1e-15)
    var g = SeededGenerator(seed: 3)
    let e = MonteCarloEstimate(p.sample(200_000, using: &g))
    XCTAssertLessThan(e.standardErrors(from: p.mean), 4)
    assertClose(e.variance, p.variance, tol: 0.03)
  }
}
