import Foundation
import XCTest

@testable import Latent

/// The Gaussian mixture against densities written out with the library's single `Gaussian`,
/// closed-form M-steps, EM's guarantees, scikit-learn's maxima on the wine data
/// (scripts/references.py), and the adjusted Rand index against hand-computed examples.
final class GaussianMixtureTests: XCTestCase {
  /// Two components in two dimensions, with correlated covariances.
  static func twoComponents(ridge: Double = GaussianMixture.defaultRidge) throws -> GaussianMixture {
    try GaussianMixture(
      weights: [0.3, 0.7], means: Matrix([[-1, 0.5], [2, -1]]),
      covariances: [Matrix([[1, 0.4], [0.4, 0.5]]), Matrix([[2, -0.3], [-0.3, 1]])], ridge: ridge)
  }

  static let points = Matrix([[0, 0], [-1, 0.5], [3, -2], [0.5, 0.5], [-4, 6]])

  func testDensitiesAndResponsibilitiesAgainstTheDefinition() throws {
    let gmm = try Self.twoComponents()
    let components = try (0..<2).map { try Gaussian(mean: gmm.means.row($0), covariance: gmm.covariances[$0]) }
    let logDensities = try gmm.logDensities(Self.points)
    let responsibilities = try gmm.eStep(Self.points)
    for n in 0..<Self.points.rows {
      let x = Self.points.row(n)
      let joint = (0..<2).map { gmm.weights[$0] * Foundation.exp(components[$0].logDensity(x)) }
      XCTAssertEqual(logDensities[n], Foundation.log(joint.reduce(0, +)), accuracy: 1e-12)
      for k in 0..<2 { XCTAssertEqual(responsibilities[n, k], joint[k] / joint.reduce(0, +), accuracy: 1e-12) }
    }
    XCTAssertEqual(try gmm.logLikelihood(Self.points), logDensities.sum, accuracy: 1e-12)
    XCTAssertEqual(try gmm.averageLogLikelihood(Self.points), logDensities.sum / 5, accuracy: 1e-12)
    XCTAssertEqual(try gmm.assignments(Self.points), (0..<5).map { responsibilities.row($0).argmax })
    XCTAssertEqual(gmm.parameterCount, 1 + 2 * 2 + 2 * 3)
    assertClose(gmm.covariances[1], Matrix([[2, -0.3], [-0.3, 1]]), tol: 1e-15)
  }

  func testFarPointsStayFinite() throws {
    // One dimension, unit variances at ±1: at x = 1000 both densities underflow (e^−5×10⁵), but
    // log p(x) = log ½ − ½ log 2π − ½ (999)² + log(1 + e^−2000) and r = (e^−2000 / (1 + …), 1).
    let gmm = try GaussianMixture(
      weights: [0.5, 0.5], means: Matrix([[-1], [1]]), covariances: [Matrix([[1]]), Matrix([[1]])], ridge: 0)
    let x = Matrix([[1000]])
    let expected = Foundation.log(0.5) - 0.5 * Foundation.log(2 * Double.pi) - 0.5 * 999 * 999
    XCTAssertEqual(try gmm.logDensities(x)[0], expected, accuracy: 1e-9)
    XCTAssertEqual(try gmm.eStep(x).scalars, [0, 1])
  }

  func testTheEStepMakesTheBoundTightAndOtherDistributionsDoNot() throws {
    var rng = SeededGenerator(seed: 11)
    let X = rng.normalMatrix(rows: 60, cols: 2) * 1.5
    let gmm = try Self.twoComponents()
    let r = try gmm.eStep(X)
    XCTAssertEqual(try gmm.elbo(X, r), try gmm.logLikelihood(X), accuracy: 1e-10)
    // Any other q is below by Σₙ KL(qₙ ‖ p(zₙ | xₙ)), computed here term by term.
    let q = Matrix(rows: 60, cols: 2) { n, k in k == 0 ? 0.25 + 0.5 * Double(n % 2) : 0.75 - 0.5 * Double(n % 2) }
    var kl = 0.0
    for n in 0..<60 { for k in 0..<2 { kl += q[n, k] * Foundation.log(q[n, k] / r[n, k]) } }
    XCTAssertEqual(try gmm.elbo(X, q), try gmm.logLikelihood(X) - kl, accuracy: 1e-9)
    XCTAssertGreaterThan(kl, 0)
  }

  func testTheMStepWithHardAssignmentsIsTheGroupMomentsPlusTheRidge() throws {
    var rng = SeededGenerator(seed: 12)
    let X = rng.normalMatrix(rows: 30, cols: 3)
    let groups = (0..<30).map { $0 % 3 == 0 ? 0 : 1 }
    let r = Matrix(rows: 30, cols: 2) { n, k in groups[n] == k ? 1 : 0 }
    var gmm = try GaussianMixture(
      weights: [0.5, 0.5], means: Matrix(rows: 2, cols: 3), covariances: [.identity(3), .identity(3)], ridge: 0.01)
    try gmm.mStep(X, r)
    for k in 0..<2 {
      let members = X.rows(at: (0..<30).filter { groups[$0] == k })
      XCTAssertEqual(gmm.weights[k], Double(members.rows) / 30, accuracy: 1e-14)
      assertClose(gmm.means.row(k), members.columnMeans, tol: 1e-13)
      assertClose(gmm.covariances[k], members.covariance() + 0.01 * Matrix.identity(3), tol: 1e-13)
    }
  }

  func testEMIsMonotoneAndRecoversASimulatedMixture() throws {
    // Three well-separated components in 2-D, 1500 draws.
    var rng = SeededGenerator(seed: 13)
    let truth = try GaussianMixture(
      weights: [0.5, 0.3, 0.2], means: Matrix([[0, 0], [6, 0], [0, 6]]),
      covariances: [
        Matrix([[1, 0.5], [0.5, 1]]), Matrix([[0.5, 0], [0, 2]]), Matrix([[1.5, -0.6], [-0.6, 0.8]]),
      ])
    var rows: [[Double]] = []
    for _ in 0..<1500 {
      let k = rng.categorical(truth.weights.scalars)
      rows.append(truth.component(k).sample(using: &rng).scalars)
    }
    let X = Matrix(rows)
    let restarts = try GaussianMixture.bestOfRestarts(X, components: 3, restarts: 5, using: &rng)
    let history = restarts.history
    for (a, b) in zip(history, history.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, -1e-12) }
    XCTAssertEqual(restarts.finalAverageLogLikelihoods.count, 5)
    XCTAssertEqual(restarts.finalAverageLogLikelihoods.max()!, history.last!)
    let fitted = restarts.best
    for k in 0..<3 {
      // Match each true component with the fitted one whose mean is nearest.
      let j = (0..<3).min {
        (fitted.means.row($0) - truth.means.row(k)).norm < (fitted.means.row($1) - truth.means.row(k)).norm
      }!
      XCTAssertLessThan((fitted.means.row(j) - truth.means.row(k)).norm, 0.2)
      XCTAssertEqual(fitted.weights[j], truth.weights[k], accuracy: 0.04)
      XCTAssertLessThan((fitted.covariances[j] - truth.covariances[k]).frobeniusNorm, 0.35)
    }
    // The truth explains the data about as well as the fit, not better.
    XCTAssertGreaterThanOrEqual(history.last!, try truth.averageLogLikelihood(X))
  }

  func testOneComponentIsTheSampleMeanAndCovariance() throws {
    let wine = try Wine.load()
    let X = wine.features.standardized
    var rng = SeededGenerator(seed: 14)
    var gmm = try GaussianMixture(data: X, components: 1, using: &rng)
    let history = try gmm.fit(X)
    let gaussian = try Gaussian(mean: X.columnMeans, covariance: X.covariance() + 1e-6 * Matrix.identity(13))
    XCTAssertEqual(history.last!, gaussian.logLikelihood(X) / 178, accuracy: 1e-12)
  }

  func testWinePrincipalComponentsReachScikitLearnsMaxima() throws {
    // scripts/references.py: scikit-learn 1.8.0 GaussianMixture (full covariances,
    // reg_covar 1e-6, tol 1e-12) on the first two principal components of the standardized
    // wine data, the best score over many restarts.
    let wine = try Wine.load()
    let X = wine.features.standardized
    let eigen = try X.covariance().symmetricEigen()
    let Z = X * eigen.vectors.columns(at: [0, 1])
    var rng = SeededGenerator(seed: 15)
    let references = [1: -4.0698200471, 2: -3.5966404439, 3: -3.4417152276]
    for (k, reference) in references {
      let fit = try GaussianMixture.bestOfRestarts(Z, components: k, restarts: 10, tolerance: 1e-12, using: &rng)
      XCTAssertEqual(fit.history.last!, reference, accuracy: 1e-6, "\(k) components")
    }
  }

  func testScikitLearnsFourComponentFitIsAMaximumOfOurs() throws {
    // scripts/references.py: scikit-learn's best four-component fit of the wine plane (each
    // principal direction signed so that its largest entry is positive), score -3.3661435854.
    let wine = try Wine.load()
    let X = wine.features.standardized
    let eigen = try X.covariance().symmetricEigen()
    let directions = (0..<2).map { j -> Vector in
      let v = eigen.vectors.column(j)
      let largest = v.scalars.indices.max { Swift.abs(v[$0]) < Swift.abs(v[$1]) }!
      return v[largest] < 0 ? -v : v
    }
    let Z = X * Matrix(columns: directions)
    var gmm = try GaussianMixture(
      weights: [0.183342966391, 0.449684390671, 0.296835327493, 0.070137315445],
      means: Matrix([
        [-2.831510613600, 1.676499297963], [2.048120616223, 0.377562096465],
        [-0.726586376903, -1.703124927925], [-2.654703986635, 0.404770411188],
      ]),
      covariances: [
        Matrix([[0.484392082748, 0.345569946864], [0.345569946864, 0.647594215131]]),
        Matrix([[0.762304509428, 0.679512642524], [0.679512642524, 1.567504481394]]),
        Matrix([[0.877591137883, -0.465881601393], [-0.465881601393, 0.743372250690]]),
        Matrix([[0.092234935693, 0.000055138763], [0.000055138763, 0.011158178985]]),
      ])
    let history = try gmm.fit(Z, tolerance: 1e-12)
    XCTAssertEqual(history[0], -3.3661435854, accuracy: 1e-9)
    XCTAssertEqual(history.last!, history[0], accuracy: 1e-9)
  }

  func testErrorsNameTheShapesAndValues() throws {
    XCTAssertEqual(
      thrownMessage {
        try GaussianMixture(
          weights: [0.5, 0.5], means: Matrix(rows: 3, cols: 2), covariances: [.identity(2), .identity(2)])
      },
      "GaussianMixture: 2 weights, means 3x2 and 2 covariances; a mixture needs one weight, one row of means and one covariance per component"
    )
    XCTAssertEqual(
      thrownMessage {
        try GaussianMixture(weights: [1], means: Matrix(rows: 1, cols: 2), covariances: [.identity(3)])
      },
      "GaussianMixture: covariance 0 is 3x3, but means 1x2 need 2x2 covariances")
    XCTAssertEqual(
      thrownMessage {
        try GaussianMixture(
          weights: [0.6, 0.6], means: Matrix(rows: 2, cols: 1), covariances: [.identity(1), .identity(1)])
      },
      "GaussianMixture: the weights sum to 1.2, not 1")
    XCTAssertEqual(
      thrownMessage {
        try GaussianMixture(weights: [1], means: Matrix(rows: 1, cols: 2), covariances: [Matrix([[1, 2], [2, 1]])])
      },
      "GaussianMixture: could not factor covariance 0 (2x2) (cholesky: 2x2 matrix is not positive definite (leading minor of order 2 is not positive)); are the parameters finite and of moderate size?"
    )
    let gmm = try Self.twoComponents()
    XCTAssertEqual(
      thrownMessage { try gmm.logDensities(Matrix(rows: 4, cols: 3)) },
      "GaussianMixture: the model has 2 features but the data has 3 columns")
    XCTAssertEqual(
      thrownMessage { try gmm.elbo(Self.points, Matrix(rows: 4, cols: 2)) },
      "GaussianMixture: elbo: responsibilities 4x2 for 5 rows of data and 2 components; they must be 5x2, one row per observation (pass what eStep returned for the same data)"
    )
    XCTAssertEqual(
      thrownMessage { try gmm.elbo(Self.points, Matrix(rows: 5, cols: 2, repeating: 0.25)) },
      "GaussianMixture: elbo: row 0 of the responsibilities sums to 0.5, not 1")
    var rng = SeededGenerator(seed: 1)
    XCTAssertEqual(
      thrownMessage { try GaussianMixture(data: Self.points, components: 6, using: &rng) },
      "GaussianMixture: cannot start 6 components on 5 rows; the number of components must satisfy 1 ≤ K ≤ 5")
    var copy = gmm
    XCTAssertEqual(
      thrownMessage { try copy.fit(Self.points, iterations: -1) },
      "GaussianMixture: iterations and tolerance must be non-negative, got -1 and 1e-10")
    copy.weights = [0.3, -0.7]
    XCTAssertEqual(
      thrownMessage { try copy.eStep(Self.points) }, "GaussianMixture: weight 1 is -0.7; every weight must be positive")
  }

  func testAdjustedRandIndexAgainstHandComputedExamples() throws {
    // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: cells 2,1 | 1,2, so Σ C(nᵢⱼ) = 1 + 1 = 2; rows 3, 3 give
    // 3 + 3 = 6 pairs, columns 2, 2, 2 give 3; C(6) = 15, expected 6·3/15 = 1.2, maximum
    // (6 + 3)/2 = 4.5, so ARI = (2 − 1.2)/(4.5 − 1.2) = 8/33 (scikit-learn: 0.24242424242424243).
    XCTAssertEqual(try adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 8.0 / 33, accuracy: 1e-15)
    // scikit-learn's documented examples.
    XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 4.0 / 7, accuracy: 1e-15)
    XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5, accuracy: 1e-15)
    XCTAssertEqual(try adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0, accuracy: 1e-15)
    // Only the grouping counts, not the names; the degenerate partitions are 1.
    XCTAssertEqual(try adjustedRandIndex([5, 5, 7, 7], [1, 1, 0, 0]), 1)
    XCTAssertEqual(try adjustedRandIndex([1, 1, 1], [2, 2, 2]), 1)
    XCTAssertEqual(try adjustedRandIndex([0, 1, 2], [2, 0, 1]), 1)
    XCTAssertEqual(try adjustedRandIndex([], []), 1)
    XCTAssertEqual(
      thrownMessage { try adjustedRandIndex([0, 1], [0]) },
      "adjustedRandIndex: the labelings have 2 and 1 entries; they must label the same items")
  }
}
