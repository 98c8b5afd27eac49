import XCTest

@testable import Latent

final class SpecialFunctionTests: XCTestCase {
  func testLogSumExpIsStable() {
    // mpmath (40 digits): log(e^1000 + e^999 + e^-5)
    assertClose(logSumExp([1000, 999, -5]), 1000.3132616875182, tol: 1e-12)
    XCTAssertEqual(logSumExp([Double]()), -.infinity)
    XCTAssertEqual(logSumExp([-.infinity, -.infinity]), -.infinity)
    assertClose(logSumExp([0, 0]), log(2), tol: 1e-16)
    assertClose(logAddExp(-1000, -1000), -1000 + log(2), tol: 1e-12)
    assertClose(logMeanExp([1, 1, 1]), 1, tol: 1e-15)
  }

  func testSoftplusAndLogSigmoid() {
    // mpmath: log(1 + e^-40), log(1 + e^0.5), log(1 + e^40)
    assertClose(softplus(-40), 4.248354255291589e-18, tol: 1e-32)
    assertClose(softplus(0.5), 0.9740769841801067, tol: 1e-16)
    XCTAssertEqual(softplus(40), 40)
    XCTAssertEqual(softplus(1000), 1000)
    XCTAssertEqual(logSigmoid(-1000), -1000)
    XCTAssertEqual(sigmoid(-1000), 0)
    XCTAssertEqual(sigmoid(1000), 1)
    assertClose(sigmoid(logit(0.3)), 0.3, tol: 1e-16)
    XCTAssertEqual(softplus(Float(100)), 100)
  }

  func testDigammaAgainstScipy() {
    // scipy.special.digamma
    let ref: [(Double, Double)] = [
      (0.1, -10.423754940411076), (0.5, -1.9635100260214235), (1, -0.5772156649015329),
      (2.5, 0.7031566406452432), (6, 1.7061176684318005), (10, 2.251752589066721),
      (100.5, 4.605174352581845), (-0.5, 0.03648997397857651),
    ]
    for (x, y) in ref { assertClose(digamma(x), y, tol: 4e-15 * max(1, abs(y)), "ψ(\(x))") }
    XCTAssertTrue(digamma(0).isNaN)
    XCTAssertTrue(digamma(-2).isNaN)
    assertClose(logGamma(0.5), 0.5 * log(Double.pi), tol: 1e-15)
  }
}
