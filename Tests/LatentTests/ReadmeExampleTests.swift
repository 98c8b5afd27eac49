import Latent  // no @testable: the README example must compile against the public API
import XCTest

final class ReadmeExampleTests: XCTestCase {
  func testReadmeSnippetCompilesAndRuns() throws {
    var rng = SeededGenerator(seed: 42)
    let wine = try Wine.load()
    let X = wine.features.standardized
    let S = X.covariance()
    let eig = try S.symmetricEigen()
    let p = try Gaussian(mean: .zeros(13), covariance: S)
    let q = DiagonalGaussian(mean: [2, 0], variance: [0.25, 4])
    XCTAssertEqual(q.klDivergence(to: .standardNormal), 3.125, accuracy: 1e-15)
    // Standardised data: tr S = 13 = Σ λ.
    XCTAssertEqual(eig.values.sum, 13, accuracy: 1e-12)
    // The Gaussian MLE log-likelihood: −N/2 (d ln 2π + ln det S + d).
    let expected = -0.5 * 178 * (13 * log(2 * Double.pi) + S.logDeterminant + 13)
    XCTAssertEqual(p.logLikelihood(X), expected, accuracy: 1e-9)
    _ = rng.normal()
  }
}
