import XCTest

@testable import Latent

/// A 20×5 data set drawn once in numpy (2 factors plus diagonal noise, rounded to 2 decimals):
///     rng = np.random.default_rng(7); W0 = [[1,.2],[.8,-.5],[.6,.9],[.1,1],[.7,0]]
///     X = round(Z @ W0.T + E * sqrt([.3,.5,.2,.4,.6]) + [1,2,3,4,5], 2),  Z, E standard normal.
let smallData = Matrix([
  [1.12, 1.90, 2.72, 4.35, 6.05],
  [-0.30, 2.83, 2.09, 2.68, 6.36],
  [0.76, 1.28, 1.87, 3.33, 4.54],
  [1.70, 1.33, 4.54, 6.26, 4.52],
  [0.49, 1.59, 2.20, 2.58, 4.21],
  [1.45, 2.85, 4.13, 3.57, 4.73],
  [1.27, 1.14, 2.02, 3.02, 6.05],
  [1.49, 1.40, 3.44, 4.53, 6.16],
  [-0.67, 0.94, 1.94, 3.33, 3.91],
  [-1.77, 1.12, 0.50, 3.26, 4.18],
  [-0.90, 1.12, 1.53, 4.25, 3.71],
  [0.11, -0.06, 2.64, 3.08, 2.54],
  [0.95, 1.58, 3.00, 5.25, 4.47],
  [-1.97, 0.40, 1.23, 3.10, 3.08],
  [1.36, 2.27, 2.61, 4.06, 4.99],
  [-1.20, 1.20, 1.27, 3.98, 4.08],
  [-0.09, 1.20, 1.63, 1.83, 3.44],
  [2.10, 1.75, 3.29, 2.19, 6.33],
  [0.68, 2.08, 3.84, 3.91, 5.94],
  [1.18, 1.54, 2.43, 3.73, 3.84],
])

/// The wine table of chapters/data/wine.csv (178×13 features), standardized with the
/// population standard deviation; nil if the file is not in the checkout.
func standardizedWine() -> Matrix? {
  let url = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("chapters/data/wine.csv")
  guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
  let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { line in
    line.split(separator: ",").prefix(13).map { Double($0)! }
  }
  return Matrix(rows).standardized
}

final class FactorAnalysisTests: XCTestCase {
  // Fixed parameters for the likelihood and ELBO literals below.
  let fixedW = Matrix([[0.5, 0.1], [0.4, -0.3], [0.3, 0.5], [0.1, 0.6], [0.4, 0.2]])
  let fixedPsi: Vector = [0.3, 0.4, 0.5, 0.6, 0.7]

  func fixedModel() -> FactorAnalysis {
    try! FactorAnalysis(mean: smallData.columnMeans, loadings: fixedW, uniquenesses: fixedPsi)
  }

  func testLogLikelihoodMatchesScipy() throws {
    // scipy.stats.multivariate_normal(X.mean(0), W W^T + diag(psi)).logpdf(X).sum()
    let model = fixedModel()
    assertClose(try model.logLikelihood(smallData), -132.09361785013994, tol: 1e-10)
    // And the library's dense Gaussian (full d×d Cholesky) agrees with the Woodbury route.
    let dense = try Gaussian(mean: model.mean, covariance: model.covariance)
    assertClose(try model.logLikelihood(smallData), dense.logLikelihood(smallData), tol: 1e-10)
  }

  func testEStepMatchesNumpy() throws {
    // numpy: G = inv(I + W^T Psi^-1 W); m = (X - mu) Psi^-1 W G.
    let post = try fixedModel().eStep(smallData)
    assertClose(
      post.covariance,
      Matrix([
        [0.38483885386681815, -0.060694151423056585],
        [-0.0606941514230566, 0.42356930924365604],
      ]), tol: 1e-14)
    assertClose(post.mean(0), [0.9699058513587588, 0.3982257898300626], tol: 1e-13)
  }

  func testELBOIsTightAfterEStepAndMatchesNumpyOtherwise() throws {
    let model = fixedModel()
    let post = try model.eStep(smallData)
    // numpy, summing E log p(x|z) + E log p(z) + H[q] sample by sample: -132.09361785013996.
    assertClose(try model.elbo(smallData, post), -132.09361785013996, tol: 1e-10)
    assertClose(try model.elbo(smallData, post), try model.logLikelihood(smallData), tol: 1e-9)
    // The same posteriors under other parameters (W·1.1, ψ·0.9): a strict lower bound.
    let other = try FactorAnalysis(mean: model.mean, loadings: fixedW * 1.1, uniquenesses: fixedPsi * 0.9)
    assertClose(try other.elbo(smallData, post), -131.45444700088999, tol: 1e-10)
    assertClose(try other.logLikelihood(smallData), -131.06779749399018, tol: 1e-10)
    XCTAssertLessThan(try other.elbo(smallData, post), try other.logLikelihood(smallData))
  }

  func testMStepRaisesTheBoundAndTheLikelihood() throws {
    var model = fixedModel()
    let post = try model.eStep(smallData)
    let before = try model.elbo(smallData, post)
    try model.mStep(smallData, post)
    let after = try model.elbo(smallData, post)
    XCTAssertGreaterThan(after, before)
    XCTAssertGreaterThanOrEqual(try model.logLikelihood(smallData), after)
  }

  func testDataEMAndMomentEMAgree() throws {
    // fit() runs on S alone; eStep/mStep on the rows. Both must trace the same path.
    var a = try FactorAnalysis(data: smallData, factors: 2)
    var b = a
    let history = try a.fit(smallData, iterations: 25, tolerance: 0)
    XCTAssertEqual(history.count, 26)
    for k in 0..<25 {
      assertClose(try b.averageLogLikelihood(smallData), history[k], tol: 1e-12, "iteration \(k)")
      let post = try b.eStep(smallData)
      try b.mStep(smallData, post)
    }
    assertClose(a.loadings, b.loadings, tol: 1e-10)
    assertClose(a.uniquenesses, b.uniquenesses, tol: 1e-10)
  }

  func testOneFactorMaximumLikelihoodMatchesIndependentOptimizer() throws {
    // numpy/scipy: L-BFGS-B on log psi of the profile likelihood (W from the eigenvectors of
    // Psi^-1/2 S Psi^-1/2), ftol 1e-15: average log-likelihood -6.114654442545201.
    var fa = try FactorAnalysis(data: smallData, factors: 1)
    let history = try fa.fit(smallData, iterations: 100_000, tolerance: 1e-13)
    assertClose(history.last!, -6.114654442545201, tol: 1e-8)
    assertClose(
      fa.uniquenesses,
      [
        0.2312653801337103, 0.34181949957713487, 0.23903798283418037,
        0.883042751396975, 0.8391764003168933,
      ], tol: 1e-4)
    XCTAssertTrue(zip(history, history.dropFirst()).allSatisfy { $1 >= $0 - 1e-12 })
  }

  func testWineLogLikelihoodsMatchReference() throws {
    guard let X = standardizedWine() else { throw XCTSkip("chapters/data/wine.csv not found") }
    // Average log-likelihood at the maximum, from the same scipy profile-likelihood optimizer
    // (these are also the reference values).
    let reference = [1: -16.259945415418244, 2: -15.433657597288143, 3: -15.080249758088177]
    for q in 1...3 {
      var fa = try FactorAnalysis(data: X, factors: q)
      let history = try fa.fit(X, tolerance: 1e-12)
      assertClose(history.last!, reference[q]!, tol: 1e-6, "q = \(q)")
      XCTAssertTrue(zip(history, history.dropFirst()).allSatisfy { $1 >= $0 - 1e-12 }, "q = \(q)")
    }
    // scipy's psi for q = 2.
    var fa = try FactorAnalysis(data: X, factors: 2)
    try fa.fit(X, tolerance: 1e-12)
    let psi2: Vector = [
      0.46644404452005334, 0.7631952570888346, 0.8950060691298781, 0.8419797588292678,
      0.8566451109351471, 0.1975871224159835, 0.07827683231244885, 0.6857035760867167,
      0.5552476828018835, 0.16516592481523132, 0.4940880283083776, 0.24283740871754256,
      0.46903899519394454,
    ]
    assertClose(fa.uniquenesses, psi2, tol: 2e-4)
  }

  func testSimulatedRecovery() throws {
    // Data from a known model; with N = 4000 the fitted C = WWᵀ + Ψ must be close to the truth.
    var rng = SeededGenerator(seed: 11)
    let W = Matrix([[0.9, 0.0], [0.8, 0.3], [0.7, -0.4], [0.0, 0.9], [0.3, 0.7], [-0.5, 0.5]])
    let psi: Vector = [0.2, 0.3, 0.4, 0.25, 0.35, 0.5]
    let n = 4000
    let Z = rng.normalMatrix(rows: n, cols: 2)
    var E = rng.normalMatrix(rows: n, cols: 6)
    for i in 0..<n { for j in 0..<6 { E[i, j] *= psi[j].squareRoot() } }
    let X = Z.timesTranspose(W) + E + Vector([1, -1, 2, 0, 0.5, 3])
    var fa = try FactorAnalysis(data: X, factors: 2)
    try fa.fit(X)
    let truth = W.timesTranspose(W) + Matrix.diagonal(psi)
    XCTAssertLessThan((fa.covariance - truth).frobeniusNorm / truth.frobeniusNorm, 0.05)
    assertClose(fa.uniquenesses, psi, tol: 0.06)
    // Rotation invariance: any orthogonal R gives the same likelihood.
    let t = 0.7
    let R = Matrix([[cos(t), -sin(t)], [sin(t), cos(t)]])
    assertClose(try fa.rotated(by: R).logLikelihood(X), try fa.logLikelihood(X), tol: 1e-9)
  }

  func testIterationsAndToleranceConventions() throws {
    var fa = try FactorAnalysis(data: smallData, factors: 1)
    XCTAssertEqual(try fa.fit(smallData, iterations: 0).count, 1)
    var g = try FactorAnalysis(data: smallData, factors: 1)
    XCTAssertEqual(try g.fit(smallData, iterations: 7, tolerance: 0).count, 8)
    XCTAssertGreaterThan(try FactorAnalysis.emIterationsPerSecond(smallData, factors: 1, iterations: 50), 0)
    XCTAssertEqual(
      thrownMessage { try g.fit(smallData, iterations: -1) },
      "FactorAnalysis: iterations and tolerance must be non-negative, got -1 and 1e-10")
  }

  // MARK: - Bad input

  func testMoreFactorsThanFeaturesThrows() {
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(data: smallData, factors: 6) },
      "FactorAnalysis: cannot fit 6 factors to 5 features; the number of factors must satisfy 1 ≤ q < 5")
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(data: smallData, factors: 0) },
      "FactorAnalysis: cannot fit 0 factors to 5 features; the number of factors must satisfy 1 ≤ q < 5")
  }

  func testConstantColumnThrows() {
    var X = smallData
    X.setColumn(2, to: Vector(repeating: 2.5, count: X.rows))
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(data: X, factors: 1) },
      "FactorAnalysis: column 2 of the data is constant (every entry is 2.5); its variance is 0, so its noise "
        + "variance would collapse to 0 and the likelihood is unbounded. Remove the column before fitting.")
    var fa = fixedModel()
    XCTAssertNotNil(thrownMessage { try fa.fit(X) })
  }

  func testNaNThrows() {
    var X = smallData
    X[3, 1] = .nan
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(data: X, factors: 1) },
      "FactorAnalysis: the data contains NaN at row 3, column 1; remove or impute missing values before fitting")
    var fa = fixedModel()
    XCTAssertEqual(
      thrownMessage { try fa.fit(X) },
      "FactorAnalysis: the data contains NaN at row 3, column 1; remove or impute missing values before fitting")
    X[3, 1] = .infinity
    XCTAssertEqual(
      thrownMessage { try fa.fit(X) },
      "FactorAnalysis: the data contains an infinite value at row 3, column 1; remove or impute missing values before fitting"
    )
  }

  func testShapeErrorsThrow() {
    var fa = fixedModel()
    XCTAssertEqual(
      thrownMessage { try fa.fit(smallData.columns(at: [0, 1, 2])) },
      "FactorAnalysis: the model has 5 features but the data has 3 columns")
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(data: smallData.rows(0..<1), factors: 1) },
      "FactorAnalysis: needs at least 2 observations (rows) to estimate a covariance, got 1")
  }

  /// The ModelError that `body` throws (nil, with a test failure, if it throws something else or nothing).
  func modelError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ModelError? {
    do { _ = try body() } catch let error as ModelError { return error } catch {
      XCTFail("expected a ModelError, got \(error)", file: file, line: line)
      return nil
    }
    XCTFail("expected a ModelError, nothing was thrown", file: file, line: line)
    return nil
  }

  func testParameterShapeMismatchThrows() {
    let mu = smallData.columnMeans
    // One uniqueness short: the message names the odd one out first.
    let shortPsi: Vector = [0.3, 0.4, 0.5, 0.6]
    XCTAssertEqual(
      modelError { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: shortPsi) },
      .parameterShapeMismatch(
        model: "FactorAnalysis", meanLength: 5, loadingsRows: 5, loadingsColumns: 2, noiseCount: 4))
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: shortPsi) },
      "FactorAnalysis: 4 uniquenesses but loadings 5x2 and a mean of length 5; the model needs one row of "
        + "loadings, one uniqueness and one entry of the mean per feature")
    // A row of loadings too many.
    let tallW = fixedW.rows(at: [0, 1, 2, 3, 4, 0])
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: tallW, uniquenesses: fixedPsi) },
      "FactorAnalysis: loadings 6x2 but 5 uniquenesses and a mean of length 5; the model needs one row of "
        + "loadings, one uniqueness and one entry of the mean per feature")
    // The mean the wrong length.
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: .zeros(3), loadings: fixedW, uniquenesses: fixedPsi) },
      "FactorAnalysis: a mean of length 3 but loadings 5x2 and 5 uniquenesses; the model needs one row of "
        + "loadings, one uniqueness and one entry of the mean per feature")
    // No two agree.
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: .zeros(3), loadings: tallW, uniquenesses: shortPsi) },
      "FactorAnalysis: loadings 6x2, 4 uniquenesses and a mean of length 3; the model needs one row of "
        + "loadings, one uniqueness and one entry of the mean per feature")
  }

  func testNonPositiveOrNonFiniteParametersThrow() {
    let mu = smallData.columnMeans
    var psi = fixedPsi
    psi[2] = 0
    XCTAssertEqual(
      modelError { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: psi) },
      .invalidNoiseVariance(model: "FactorAnalysis", index: 2, value: 0))
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: psi) },
      "FactorAnalysis: uniqueness 2 is 0, but a noise variance must be positive and finite")
    psi[2] = -0.5
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: psi) },
      "FactorAnalysis: uniqueness 2 is -0.5, but a noise variance must be positive and finite")
    psi[2] = .infinity
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: fixedW, uniquenesses: psi) },
      "FactorAnalysis: uniqueness 2 is inf, but a noise variance must be positive and finite")
    var W = fixedW
    W[1, 0] = .infinity
    XCTAssertEqual(
      modelError { try FactorAnalysis(mean: mu, loadings: W, uniquenesses: fixedPsi) },
      .notFiniteParameter(model: "FactorAnalysis", parameter: "loadings", row: 1, column: 0, value: .infinity))
    W[1, 0] = .nan
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: mu, loadings: W, uniquenesses: fixedPsi) },
      "FactorAnalysis: loadings[1, 0] is nan; every parameter must be finite")
    var badMean = mu
    badMean[4] = -.infinity
    XCTAssertEqual(
      thrownMessage { try FactorAnalysis(mean: badMean, loadings: fixedW, uniquenesses: fixedPsi) },
      "FactorAnalysis: mean[4] is -inf; every parameter must be finite")
  }

  func testParametersChangedAfterInitAreCheckedByEveryMethod() {
    let X = smallData
    var fa = fixedModel()
    fa.uniquenesses = [0.3, 0.4, 0.5]
    let expected =
      "FactorAnalysis: 3 uniquenesses but loadings 5x2 and a mean of length 5; the model needs one row of "
      + "loadings, one uniqueness and one entry of the mean per feature"
    let post = try! fixedModel().eStep(X)
    XCTAssertEqual(thrownMessage { try fa.logLikelihood(X) }, expected)
    XCTAssertEqual(thrownMessage { try fa.averageLogLikelihood(X) }, expected)
    XCTAssertEqual(thrownMessage { try fa.eStep(X) }, expected)
    XCTAssertEqual(thrownMessage { try fa.mStep(X, post) }, expected)
    XCTAssertEqual(thrownMessage { try fa.elbo(X, post) }, expected)
    XCTAssertEqual(thrownMessage { try fa.rotated(by: .identity(2)) }, expected)
    XCTAssertEqual(thrownMessage { try fa.varimax() }, expected)
    XCTAssertEqual(thrownMessage { try fa.fit(X) }, expected)
    fa = fixedModel()
    fa.uniquenesses[0] = -1
    XCTAssertEqual(
      thrownMessage { try fa.fit(X) },
      "FactorAnalysis: uniqueness 0 is -1, but a noise variance must be positive and finite")
  }

  func testDataWithWrongColumnCountThrows() {
    let model = fixedModel()
    let X3 = smallData.columns(at: [0, 1, 2])
    let expected = "FactorAnalysis: the model has 5 features but the data has 3 columns"
    XCTAssertEqual(
      modelError { try model.eStep(X3) }, .featureCountMismatch(model: "FactorAnalysis", expected: 5, got: 3))
    XCTAssertEqual(thrownMessage { try model.eStep(X3) }, expected)
    XCTAssertEqual(thrownMessage { try model.logLikelihood(X3) }, expected)
    XCTAssertEqual(thrownMessage { try model.averageLogLikelihood(X3) }, expected)
    let post = try! model.eStep(smallData)
    var copy = model
    XCTAssertEqual(thrownMessage { try copy.mStep(X3, post) }, expected)
    XCTAssertEqual(thrownMessage { try model.elbo(X3, post) }, expected)
    XCTAssertEqual(copy.loadings, model.loadings, "a failed M-step leaves the model as it was")
  }

  func testPosteriorOfOtherDataThrows() {
    var model = fixedModel()
    let post = try! model.eStep(smallData.rows(0..<10))
    XCTAssertEqual(
      modelError { try model.mStep(smallData, post) },
      .posteriorShapeMismatch(
        model: "FactorAnalysis", operation: "mStep", means: "10x2", covariance: "2x2", samples: 20, latent: 2))
    XCTAssertEqual(
      thrownMessage { try model.mStep(smallData, post) },
      "FactorAnalysis.mStep: the posterior has means 10x2 and covariance 2x2, but 20 rows of data and 2 latent "
        + "dimensions need means 20x2 and covariance 2x2; pass the posterior that eStep returned for the same data")
    // A posterior of a one-factor model.
    let oneFactor = try! FactorAnalysis(mean: model.mean, loadings: fixedW.columns(at: [0]), uniquenesses: fixedPsi)
    let post1 = try! oneFactor.eStep(smallData)
    XCTAssertEqual(
      thrownMessage { try model.elbo(smallData, post1) },
      "FactorAnalysis.elbo: the posterior has means 20x1 and covariance 1x1, but 20 rows of data and 2 latent "
        + "dimensions need means 20x2 and covariance 2x2; pass the posterior that eStep returned for the same data")
  }

  func testRotationOfTheWrongShapeThrows() {
    XCTAssertEqual(
      thrownMessage { try fixedModel().rotated(by: .identity(3)) },
      "FactorAnalysis: rotated(by:) needs a 2x2 matrix (one row and column per factor) for loadings 5x2, got 3x3")
  }

  func testOverflowingParametersThrowAFactorizationError() {
    // WᵀΨ⁻¹W overflows to ∞, so I + WᵀΨ⁻¹W cannot be factored.
    let huge = try! FactorAnalysis(mean: smallData.columnMeans, loadings: fixedW * 1e200, uniquenesses: fixedPsi)
    let underlying = LinearAlgebraError.notFinite(operation: "cholesky", rows: 2, cols: 2)
    XCTAssertEqual(
      modelError { try huge.eStep(smallData) },
      .factorizationFailed(model: "FactorAnalysis", matrix: "I + WᵀΨ⁻¹W (2x2)", underlying: underlying))
    XCTAssertEqual(
      thrownMessage { try huge.averageLogLikelihood(smallData) },
      "FactorAnalysis: could not factor I + WᵀΨ⁻¹W (2x2) (cholesky: 2x2 matrix contains NaN or infinite entries); "
        + "are the parameters finite and of moderate size?")
  }

  func testScaledRowsNamesTheShapes() {
    XCTAssertEqual(
      thrownMessage { try scaledRows(fixedW, by: [1, 2, 3]) },
      "row scaling diag(s) A: 5x2 matrix with 3 scales: needs 5")
    assertClose(try! scaledRows(Matrix([[1, 2], [3, 4]]), by: [2, -1]), Matrix([[2, 4], [-3, -4]]), tol: 0)
  }
}

final class FactorRotationTests: XCTestCase {
  func testVarimaxMatchesBruteForceAndIgnoresTheStartingRotation() throws {
    // Reference: numpy/scipy maximize the Kaiser-normalized varimax criterion
    //   sum_k [mean_i L_ik^4 - (mean_i L_ik^2)^2],  L = diag(h)^-1/2 W rot(t),
    // over the angle t (grid of 20001 points on [0, pi/2], then minimize_scalar, tol 1e-14), and apply the
    // library's conventions (column sums positive, columns by decreasing sum of squares).
    let W = Matrix([[0.9, 0.1], [0.8, -0.1], [0.7, 0.2], [0.1, 0.9], [-0.1, 0.8], [0.2, 0.6]])
    let reference = Matrix([
      [0.8995418543044166, 0.10404062838416409], [0.8004410041237119, -0.09640642570609063],
      [0.6990948002141617, 0.2031414785648689], [0.09595735496032161, 0.9004399957959547],
      [-0.10359155763839507, 0.7995428626321738], [0.19730355886987155, 0.6008920915249951],
    ])
    for t in [0.0, 0.6, -1.1, 2.5] {
      let R0 = Matrix([[cos(t), -sin(t)], [sin(t), cos(t)]])
      let fa = try FactorAnalysis(mean: .zeros(6), loadings: W * R0, uniquenesses: Vector(repeating: 0.3, count: 6))
      let (rotated, R) = try fa.varimax()
      assertClose(rotated.loadings, reference, tol: 1e-7, "start angle \(t)")
      assertClose(R.transposeTimes(R), .identity(2), tol: 1e-12)
      assertClose(rotated.covariance, fa.covariance, tol: 1e-12)
    }
  }
}
