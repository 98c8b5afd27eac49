import XCTest

@testable import Latent

final class ProbabilisticPCATests: XCTestCase {
  func testClosedFormMatchesNumpy() throws {
    // numpy on smallData (FactorAnalysisTests.swift): S = np.cov(X.T, bias=True),
    // lam, U = eigh(S) descending; s2 = lam[q:].mean(); W = U[:, :q] * sqrt(lam[:q] - s2);
    // average log-likelihood = multivariate_normal(mu, W W^T + s2 I).logpdf(X).mean().
    let q1 = try ProbabilisticPCA.maximumLikelihood(smallData, components: 1)
    assertClose(q1.noiseVariance, 0.5360813434298316, tol: 1e-14)
    assertClose(try q1.averageLogLikelihood(smallData), -6.387718875737198, tol: 1e-12)
    // Eigenvector signs: largest-magnitude entry positive, so numpy's column is negated here.
    assertClose(
      q1.loadings.column(0),
      [
        0.9527074535690851, 0.39190020725681224, 0.7990021879938675,
        0.3800862265792938, 0.7511887128162585,
      ], tol: 1e-12)
    let q2 = try ProbabilisticPCA.maximumLikelihood(smallData, components: 2)
    assertClose(q2.noiseVariance, 0.3382535762431252, tol: 1e-14)
    assertClose(try q2.averageLogLikelihood(smallData), -6.069634599802865, tol: 1e-12)
    let Wnp = Matrix([
      [-0.9910635272586638, -0.00964327766400976], [-0.4076781390575876, 0.2244888726286253],
      [-0.8311700761383523, -0.25397354470993544], [-0.3953885266300114, -0.6553394935848664],
      [-0.7814316268562616, 0.4968404258351473],
    ])
    assertClose(q2.loadings.timesTranspose(q2.loadings), Wnp.timesTranspose(Wnp), tol: 1e-12)
  }

  func testEMConvergesToClosedForm() throws {
    for q in 1...2 {
      let exact = try ProbabilisticPCA.maximumLikelihood(smallData, components: q)
      var em = try ProbabilisticPCA(data: smallData, components: q, seed: 3)
      let history = try em.fit(smallData, iterations: 100_000, tolerance: 1e-14)
      XCTAssertTrue(zip(history, history.dropFirst()).allSatisfy { $1 >= $0 - 1e-12 }, "q = \(q)")
      assertClose(history.last!, try exact.averageLogLikelihood(smallData), tol: 1e-8, "q = \(q)")
      assertClose(em.noiseVariance, exact.noiseVariance, tol: 1e-5, "q = \(q)")
      // W is identified up to rotation: compare WWᵀ.
      assertClose(em.loadings.timesTranspose(em.loadings), exact.loadings.timesTranspose(exact.loadings), tol: 1e-4)
    }
  }

  func testPPCAIsFactorAnalysisWithIsotropicNoise() throws {
    let p = try ProbabilisticPCA.maximumLikelihood(smallData, components: 2)
    let dense = try Gaussian(mean: p.mean, covariance: p.covariance)
    assertClose(try p.logLikelihood(smallData), dense.logLikelihood(smallData), tol: 1e-10)
    // E-step then ELBO: tight; an M-step from the optimum stays at the optimum.
    let post = try p.eStep(smallData)
    assertClose(try p.elbo(smallData, post), try p.logLikelihood(smallData), tol: 1e-9)
    var stepped = p
    try stepped.mStep(smallData, post)
    assertClose(stepped.noiseVariance, p.noiseVariance, tol: 1e-12)
    assertClose(stepped.loadings, p.loadings, tol: 1e-10)
  }

  func testZeroNoiseLimitFindsPrincipalSubspace() throws {
    let q = 2
    let U = try smallData.covariance().symmetricEigen().vectors.columns(at: [0, 1])
    var em = try ProbabilisticPCA(data: smallData, components: q, seed: 5)
    try em.fit(smallData, noiseVariance: 1e-10, iterations: 2000)
    let angles = try principalAngles(between: em.loadings, and: U)
    XCTAssertLessThan(angles.max, 1e-7)
    // The E-step has become the orthogonal projection (WᵀW)⁻¹Wᵀ x̃.
    let post = try em.eStep(smallData)
    let projection = try (em.loadings.transposeTimes(em.loadings))
      .solvePositiveDefinite(em.loadings.transposeTimes((smallData - em.mean).transposed)).transposed
    assertClose(post.means, projection, tol: 1e-7)
  }

  func testPrincipalAnglesMatchScipy() throws {
    // scipy.linalg.subspace_angles(A, B)[::-1].
    let A = Matrix([[1, 0], [0, 1], [0, 0], [0, 0]])
    let B = Matrix([[1, 0], [0, cos(0.3)], [0, sin(0.3)], [0, 0]])
    assertClose(try principalAngles(between: A, and: B), [0, 0.3], tol: 1e-15)
    let mu = smallData.columnMeans
    let Xc = smallData - mu
    assertClose(
      try principalAngles(between: Xc.columns(at: [0, 1]), and: Xc.columns(at: [2, 3])),
      [0.6074899784550035, 1.4775421730799725], tol: 1e-13)
    // A tiny angle is resolved (arccos of the cosine alone would return 0).
    let C = Matrix([[1], [1e-10], [0]])
    assertClose(try principalAngles(between: Matrix([[1], [0], [0]]), and: C), [1e-10], tol: 1e-20)
  }

  func testWineMaximumLikelihoodAndPlugInValues() throws {
    guard let X = standardizedWine() else { throw XCTSkip("chapters/data/wine.csv not found") }
    // numpy: the maximum-likelihood solution (S divides by N).
    let mle: [(Double, Double)] = [
      (0.6911791455841314, -17.004466766737924),
      (0.5270160012362194, -16.155259888194482),
      (0.4351104043885915, -15.701791974852368),
    ]
    // numpy: the same formula with S divided by N − 1 (what sklearn's PCA.score evaluates);
    // these are the reference values, slightly below the maximum.
    let plugIn: [(Double, Double)] = [
      (0.6950841125083356, -17.004569727974),
      (0.5299934927686275, -16.155362849430563),
      (0.43756865526084343, -15.701894936088445),
    ]
    for q in 1...3 {
      let p = try ProbabilisticPCA.maximumLikelihood(X, components: q)
      assertClose(p.noiseVariance, mle[q - 1].0, tol: 1e-12)
      assertClose(try p.averageLogLikelihood(X), mle[q - 1].1, tol: 1e-10)
      let u = try ProbabilisticPCA.maximumLikelihood(
        mean: X.columnMeans, covariance: X.covariance(ddof: 1), components: q)
      assertClose(u.noiseVariance, plugIn[q - 1].0, tol: 1e-12)
      assertClose(try u.averageLogLikelihood(X), plugIn[q - 1].1, tol: 1e-10)
      XCTAssertLessThan(try u.averageLogLikelihood(X), try p.averageLogLikelihood(X))
    }
  }

  // MARK: - Bad input

  func testBadInputThrows() {
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA.maximumLikelihood(smallData, components: 5) },
      "ProbabilisticPCA: cannot fit 5 components to 5 features; the number of components must satisfy 1 ≤ q < 5")
    var X = smallData
    X[0, 4] = .nan
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA.maximumLikelihood(X, components: 1) },
      "ProbabilisticPCA: the data contains NaN at row 0, column 4; remove or impute missing values before fitting")
    var Y = smallData
    Y.setColumn(0, to: .zeros(Y.rows))
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA(data: Y, components: 1, seed: 1) },
      "ProbabilisticPCA: column 0 of the data is constant (every entry is 0); its variance is 0, so its noise "
        + "variance would collapse to 0 and the likelihood is unbounded. Remove the column before fitting.")
    var p = try! ProbabilisticPCA.maximumLikelihood(smallData, components: 1)
    XCTAssertEqual(
      thrownMessage { try p.fit(smallData, noiseVariance: 0) },
      "ProbabilisticPCA: fixed noise variance must be positive, got 0.0")
  }

  func testBadParametersThrow() throws {
    let W = Matrix([[1, 0], [0, 1], [1, 1], [0, 0], [2, 1], [1, 2]])
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA(mean: .zeros(5), loadings: W, noiseVariance: 0.5) },
      "ProbabilisticPCA: loadings 6x2 but a mean of length 5; the model needs one row of loadings and one entry "
        + "of the mean per feature")
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA(mean: .zeros(6), loadings: W, noiseVariance: 0) },
      "ProbabilisticPCA: the noise variance is 0, but a noise variance must be positive and finite")
    XCTAssertEqual(
      thrownMessage { try ProbabilisticPCA(mean: .zeros(6), loadings: W, noiseVariance: .nan) },
      "ProbabilisticPCA: the noise variance is nan, but a noise variance must be positive and finite")
    // Parameters changed after init, and data of the wrong width: errors name PPCA, not factor analysis.
    var p = try ProbabilisticPCA.maximumLikelihood(smallData, components: 2)
    let X3 = smallData.columns(at: [0, 1, 2])
    let wrongWidth = "ProbabilisticPCA: the model has 5 features but the data has 3 columns"
    XCTAssertEqual(thrownMessage { try p.eStep(X3) }, wrongWidth)
    XCTAssertEqual(thrownMessage { try p.averageLogLikelihood(X3) }, wrongWidth)
    let post = try p.eStep(smallData)
    XCTAssertEqual(
      thrownMessage { try p.elbo(smallData.rows(0..<5), post) },
      "ProbabilisticPCA.elbo: the posterior has means 20x2 and covariance 2x2, but 5 rows of data and 2 latent "
        + "dimensions need means 5x2 and covariance 2x2; pass the posterior that eStep returned for the same data")
    p.noiseVariance = -1
    let negative = "ProbabilisticPCA: the noise variance is -1, but a noise variance must be positive and finite"
    XCTAssertEqual(thrownMessage { try p.asFactorAnalysis }, negative)
    XCTAssertEqual(thrownMessage { try p.logLikelihood(smallData) }, negative)
    XCTAssertEqual(thrownMessage { try p.mStep(smallData, post) }, negative)
    XCTAssertEqual(thrownMessage { try p.fit(smallData) }, negative)
  }
}
