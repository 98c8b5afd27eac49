import XCTest

@testable import Latent

/// Grid quadrature of log p(x) for 2-D latent spaces (``LatentGrid``, ``GridPosterior``,
/// ``EvidenceQuadrature``), checked against closed forms written out here in 2 × 2 algebra:
/// Gaussian integrals, KL divergences, the mean-field optimum, χ² moments of Gaussian weights,
/// and an exact binomial sum for the importance-weighted bound; the VAE's likelihood against
/// its own cross-entropy and a brute-force Double quadrature of a small decoder.
final class ExactEvidenceTests: XCTestCase {
  /// A 2-D Gaussian in closed form: mean, covariance [[a, b], [b, c]].
  struct Gauss2 {
    var m: [Double], s: [[Double]]
    var det: Double { s[0][0] * s[1][1] - s[0][1] * s[1][0] }
    var inverse: [[Double]] { [[s[1][1] / det, -s[0][1] / det], [-s[1][0] / det, s[0][0] / det]] }
    func logDensity(_ z: [Double]) -> Double {
      let d = [z[0] - m[0], z[1] - m[1]], p = inverse
      let q = d[0] * (p[0][0] * d[0] + p[0][1] * d[1]) + d[1] * (p[1][0] * d[0] + p[1][1] * d[1])
      return -log(2 * Double.pi) - 0.5 * log(det) - 0.5 * q
    }
    /// KL(self ‖ o) = ½ [tr(Σₒ⁻¹Σ) + (μₒ − μ)ᵀΣₒ⁻¹(μₒ − μ) − 2 + log det Σₒ − log det Σ].
    func kl(to o: Gauss2) -> Double {
      let p = o.inverse
      let trace = p[0][0] * s[0][0] + p[0][1] * s[1][0] + p[1][0] * s[0][1] + p[1][1] * s[1][1]
      let d = [o.m[0] - m[0], o.m[1] - m[1]]
      let q = d[0] * (p[0][0] * d[0] + p[0][1] * d[1]) + d[1] * (p[1][0] * d[0] + p[1][1] * d[1])
      return 0.5 * (trace + q - 2 + log(o.det) - log(det))
    }
    var library: Gaussian { try! Gaussian(mean: Vector(m), covariance: Matrix(s)) }
  }

  /// ∫ p(z)^a q(z)^(1−a) dz for Gaussians p, q: with A = aΣ_p⁻¹ + (1 − a)Σ_q⁻¹,
  /// b = aΣ_p⁻¹μ_p + (1 − a)Σ_q⁻¹μ_q, c = a μ_pᵀΣ_p⁻¹μ_p + (1 − a) μ_qᵀΣ_q⁻¹μ_q, it is
  /// det Σ_p^(−a/2) det Σ_q^(−(1−a)/2) det A^(−1/2) exp(½ (bᵀA⁻¹b − c)).
  func powerIntegral(_ p: Gauss2, _ q: Gauss2, _ a: Double) -> Double {
    let P = p.inverse, Q = q.inverse
    let A = (0..<2).map { i in (0..<2).map { j in a * P[i][j] + (1 - a) * Q[i][j] } }
    let b = (0..<2).map { i in (0..<2).reduce(0.0) { $0 + a * P[i][$1] * p.m[$1] + (1 - a) * Q[i][$1] * q.m[$1] } }
    func form(_ M: [[Double]], _ v: [Double]) -> Double {
      v[0] * (M[0][0] * v[0] + M[0][1] * v[1]) + v[1] * (M[1][0] * v[0] + M[1][1] * v[1])
    }
    let c = a * form(P, p.m) + (1 - a) * form(Q, q.m)
    let detA = A[0][0] * A[1][1] - A[0][1] * A[1][0]
    let Ainv = [[A[1][1] / detA, -A[0][1] / detA], [-A[1][0] / detA, A[0][0] / detA]]
    return pow(p.det, -a / 2) * pow(q.det, -(1 - a) / 2) / detA.squareRoot() * exp(0.5 * (form(Ainv, b) - c))
  }

  let target = Gauss2(m: [0.7, -1.2], s: [[0.04, 0.018], [0.018, 0.0225]])
  let offset = 3.5  // log p(x): the log-joint is log 𝒩(z; target) + offset.

  /// The posterior of a Gaussian log-joint on a box of ±10 standard deviations.
  func gaussianPosterior(cells: Int = 120) throws -> GridPosterior {
    let sd = [target.s[0][0].squareRoot(), target.s[1][1].squareRoot()]
    let grid = try LatentGrid(
      lower: [target.m[0] - 10 * sd[0], target.m[1] - 10 * sd[1]],
      upper: [target.m[0] + 10 * sd[0], target.m[1] + 10 * sd[1]], counts: [cells, cells])
    return try GridPosterior(
      grid: grid, logJoint: (0..<grid.count).map { target.logDensity(grid.centre(of: $0)) + offset })
  }

  func testGridLayoutAndErrors() throws {
    let grid = try LatentGrid(lower: [-1, 0], upper: [1, 3], counts: [4, 3])
    XCTAssertEqual(grid.spacing, [0.5, 1])
    XCTAssertEqual(grid.cellArea, 0.5)
    XCTAssertEqual(grid.coordinates(axis: 0), [-0.75, -0.25, 0.25, 0.75])
    XCTAssertEqual(grid.centre(of: 5), [-0.25, 1.5])  // cell 5 = row 1, column 1: z₁ runs fastest
    XCTAssertEqual(grid.points.row(5).scalars, [-0.25, 1.5])
    XCTAssertEqual((0..<12).filter { grid.isOnEdge($0) }.count, 10)
    XCTAssertEqual(try grid.refined(by: 2).counts, [8, 6])
    XCTAssertEqual(
      thrownMessage { try LatentGrid(lower: [0, 1], upper: [1, 1], counts: [2, 2]) },
      "LatentGrid: coordinate 2 runs from 1 to 1; needs finite bounds, lower < upper")
    XCTAssertEqual(
      thrownMessage { try LatentGrid(lower: [0], upper: [1, 1], counts: [2, 2]) },
      "LatentGrid: needs 2 lower bounds, 2 upper bounds and 2 cell counts, got 1, 2 and 2")
    XCTAssertNotNil(thrownMessage { try LatentGrid(lower: [0, 0], upper: [1, 1], counts: [0, 2]) })
    XCTAssertEqual(
      thrownMessage { try GridPosterior(grid: grid, logJoint: [0, 1]) },
      "GridPosterior: 2 log-joint values for a 4x3 grid of 12 cells")
    XCTAssertNotNil(
      thrownMessage { try GridPosterior(grid: grid, logJoint: [Double](repeating: -.infinity, count: 12)) })
  }

  func testGaussianEvidenceMomentsAndLevels() throws {
    let post = try gaussianPosterior()
    assertClose(post.logEvidence, offset, tol: 1e-12)
    assertClose(post.mean, Vector(target.m), tol: 1e-12)
    assertClose(post.covariance, Matrix(target.s), tol: 1e-12)
    assertClose(post.cellMasses.reduce(0, +), 1, tol: 1e-12)
    XCTAssertLessThan(post.edgeMass, 1e-15)
    assertClose(try post.expectation(post.grid.points.column(0).scalars), target.m[0], tol: 1e-12)
    // The highest-density region holding mass m of a 2-D Gaussian is its ellipse of Mahalanobis
    // radius r, 1 − e^(−r²/2) = m, whose density level is e^(−r²/2)/(2π √det Σ) = (1 − m)/(2π √det Σ).
    // Cells cut by the region's edge count whole, so the level is first-order in h: on cells
    // a twentieth of a standard deviation wide it is within a few per cent.
    let fine = try gaussianPosterior(cells: 400)
    let levels = try fine.highestDensityLevels(masses: [0.5, 0.9])
    for (level, m) in zip(levels, [0.5, 0.9]) {
      assertClose(level / ((1 - m) / (2 * Double.pi * target.det.squareRoot())), 1, tol: 0.03, "mass \(m)")
    }
    XCTAssertEqual(try post.highestDensityRegionPieces(mass: 0.9), 1)
    assertClose(post.mode, Vector(target.m), tol: post.grid.spacing.max()!)
    XCTAssertNotNil(thrownMessage { try post.highestDensityLevels(masses: [1.5]) })
  }

  func testELBOOfAGaussianIsEvidenceMinusKL() throws {
    let post = try gaussianPosterior()
    for q in [
      Gauss2(m: [0.75, -1.15], s: [[0.03, 0], [0, 0.04]]),
      Gauss2(m: [0.6, -1.3], s: [[0.05, -0.01], [-0.01, 0.02]]),
    ] {
      assertClose(try post.elbo(of: q.library), offset - q.kl(to: target), tol: 1e-10)
      assertClose(try post.massOnGrid(of: q.library), 1, tol: 1e-10)
    }
    assertClose(try post.elbo(of: target.library), offset, tol: 1e-10)
    XCTAssertEqual(
      thrownMessage { try post.elbo(of: .standardNormal(dimension: 3)) },
      "GridPosterior.elbo: a 3-dimensional Gaussian for a 2-D latent grid")
  }

  func testBestGaussianIsTheMeanFieldOptimum() throws {
    let post = try gaussianPosterior()
    let start = Gauss2(m: [0.9, -1.0], s: [[0.01, 0], [0, 0.09]]).library
    // The diagonal Gaussian closest in KL(q ‖ p) to 𝒩(m, S) has mean m and variances 1/(S⁻¹)ᵢᵢ.
    let diagonal = try post.bestGaussian(diagonal: true, from: start)
    let precision = target.inverse
    let meanField = Gauss2(m: target.m, s: [[1 / precision[0][0], 0], [0, 1 / precision[1][1]]])
    assertClose(diagonal.gaussian.mean, Vector(target.m), tol: 1e-6)
    assertClose(diagonal.gaussian.covariance, Matrix(meanField.s), tol: 1e-6)
    assertClose(diagonal.elbo, offset - meanField.kl(to: target), tol: 1e-9)
    XCTAssertLessThan(diagonal.predictedIncrease, 1e-10)
    // With a full covariance the best Gaussian is the posterior itself.
    let full = try post.bestGaussian(diagonal: false, from: start)
    assertClose(full.gaussian.covariance, Matrix(target.s), tol: 1e-6)
    assertClose(full.elbo, offset, tol: 1e-9)
  }

  /// A posterior with two separated modes of masses 0.3 and 0.7: several starts find the heavier.
  func testBestGaussianFromSeveralStartsAndTwoModes() throws {
    let a = Gauss2(m: [-0.5, 0], s: [[0.01, 0], [0, 0.01]]), b = Gauss2(m: [0.5, 0.2], s: [[0.01, 0], [0, 0.02]])
    let grid = try LatentGrid(lower: [-1.2, -0.8], upper: [1.2, 1.0], counts: [160, 120])
    let post = try GridPosterior(
      grid: grid,
      logJoint: (0..<grid.count).map { g in
        let z = grid.centre(of: g)
        return logAddExp(log(0.3) + a.logDensity(z), log(0.7) + b.logDensity(z))
      })
    XCTAssertEqual(try post.highestDensityRegionPieces(mass: 0.9), 2)
    let nearLight = try post.bestGaussian(from: a.library)
    assertClose(nearLight.gaussian.mean[0], -0.5, tol: 1e-3)
    let best = try post.bestGaussian(starts: [a.library] + post.gaussianStarts)
    assertClose(best.gaussian.mean[0], 0.5, tol: 1e-3)
    // Covering only the heavier mode loses about its share of the mass: log p − ELBO ≈ −log 0.7.
    assertClose(post.logEvidence - best.elbo, -log(0.7), tol: 1e-3)
    XCTAssertGreaterThan(best.elbo, nearLight.elbo)
  }

  func testImportanceWeightMomentsAgainstGaussianIntegrals() throws {
    let post = try gaussianPosterior(cells: 200)
    let q = Gauss2(m: [0.72, -1.18], s: [[0.05, 0.01], [0.01, 0.03]])  // wider than the posterior: finite moments
    let moments = try post.importanceWeightMoments(of: q.library)
    let second = powerIntegral(target, q, 2), third = powerIntegral(target, q, 3)
    assertClose(moments.variance, second - 1, tol: 1e-9)
    assertClose(moments.thirdCentralMoment, third - 3 * second + 2, tol: 1e-8)
  }

  /// Two cells, so that z takes two values and E[log((1/k) Σ Wᵢ)] is a binomial sum.
  func testExpectedImportanceWeightedBoundAgainstABinomialSum() throws {
    let grid = try LatentGrid(lower: [0, 0], upper: [2, 1], counts: [2, 1])
    let post = try GridPosterior(grid: grid, logJoint: [log(0.9), log(0.1)])
    let q = Gauss2(m: [1.3, 0.5], s: [[0.5, 0], [0, 1]]).library
    let density = [0, 1].map { exp(q.logDensity(Vector(grid.centre(of: $0)))) }
    let pi = density.map { $0 / (density[0] + density[1]) }
    let masses = post.cellMasses
    let w = [masses[0] / pi[0], masses[1] / pi[1]]
    func binomial(_ k: Int) -> Double {
      (0...k).reduce(0.0) { total, j in
        let logChoose = lgamma(Double(k + 1)) - lgamma(Double(j + 1)) - lgamma(Double(k - j + 1))
        let probability = exp(logChoose + Double(j) * log(pi[0]) + Double(k - j) * log(pi[1]))
        return total + probability * log((Double(j) * w[0] + Double(k - j) * w[1]) / Double(k))
      }
    }
    let ks = [1, 2, 3, 4, 16, 100, 256]
    let bounds = try post.expectedImportanceWeightedBounds(of: q, samples: ks)
    for (k, bound) in zip(ks, bounds) {
      assertClose(bound - post.logEvidence, binomial(k), tol: 1e-11, "k = \(k)")
    }
  }

  func testExpectedBoundIsTheELBOAtOneAndApproachesTheDeltaMethod() throws {
    let post = try gaussianPosterior()
    let q = Gauss2(m: [0.72, -1.18], s: [[0.05, 0.01], [0.01, 0.03]])
    let ks = [1, 4, 64, 1024, 8192]
    let bounds = try post.expectedImportanceWeightedBounds(of: q.library, samples: ks)
    assertClose(bounds[0], try post.elbo(of: q.library), tol: 1e-9)
    XCTAssertTrue(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
    let moments = try post.importanceWeightMoments(of: q.library)
    let v = moments.variance
    for (k, bound) in zip(ks, bounds).dropFirst(3) {
      let first = v / (2 * Double(k))
      let second = (0.75 * v * v - moments.thirdCentralMoment / 3) / Double(k * k)
      assertClose(post.logEvidence - bound, first + second, tol: 3 * abs(second), "k = \(k)")
    }
    // The trapezoid rule's nodes: four per octave of t agree with sixteen.
    let fine = try post.expectedImportanceWeightedBounds(of: q.library, samples: ks, nodesPerOctave: 16)
    for (a, b) in zip(bounds, fine) { assertClose(a, b, tol: 1e-11) }
    let parallel = try GridPosterior.expectedImportanceWeightedBounds(
      [post, post], proposals: [q.library, target.library], samples: ks)
    XCTAssertEqual(parallel[0], bounds)
    for b in parallel[1] { assertClose(b, offset, tol: 1e-9) }  // q = the posterior: every bound is log p(x)
  }

  /// PPCA's evidence is 𝒩(x; μ, WWᵀ + σ²I) and its posterior 𝒩(G Wᵀ(x − μ)/σ², σ²M⁻¹).
  func testQuadratureFindsAndIntegratesPPCAPosteriors() throws {
    var rng = SeededGenerator(seed: 91)
    let d = 6
    let W = rng.normalMatrix(rows: d, cols: 2) * 2
    let mu = Vector((0..<d).map { _ in rng.normal() })
    let X = Matrix(rows: 12, cols: d) { i, j in 4 * rng.normal() + (i == 0 ? 6 : 0) }  // row 0 far out
    for noise in [0.5, 0.002] {
      let model = try ProbabilisticPCA(mean: mu, loadings: W, noiseVariance: noise)
      let posteriors = try EvidenceQuadrature().posteriors(model.likelihood(of: X))
      let exact = try Gaussian(mean: mu, covariance: model.covariance).logDensities(rows: X)
      let closed = try model.eStep(X)
      for n in 0..<X.rows {
        assertClose(posteriors[n].logEvidence, exact[n], tol: 1e-8, "σ² = \(noise), row \(n)")
        assertClose(posteriors[n].mean, closed.mean(n), tol: 1e-8 * closed.covariance[0, 0].squareRoot() + 1e-12)
        assertClose(posteriors[n].covariance, closed.covariance, tol: 1e-8 * closed.covariance[0, 0])
        XCTAssertLessThan(posteriors[n].edgeMass, 1e-9)
      }
    }
    let model = try ProbabilisticPCA(mean: mu, loadings: W, noiseVariance: 0.01)
    let three = try ProbabilisticPCA(mean: mu, loadings: rng.normalMatrix(rows: d, cols: 3), noiseVariance: 1)
    XCTAssertEqual(
      thrownMessage { try three.likelihood(of: X) },
      "ProbabilisticPCA.likelihood: 3 components; grid quadrature needs a 2-D latent space")
    XCTAssertEqual(
      thrownMessage { try EvidenceQuadrature().posteriors(model.likelihood(of: X), covering: [target.library]) },
      "EvidenceQuadrature.posteriors: 1 Gaussians of dimensions [2] for 12 data points in a 2-D latent space")
    XCTAssertNotNil(thrownMessage { try EvidenceQuadrature(halfWidth: -1).posteriors(model.likelihood(of: X)) })
  }

  /// Covering a Gaussian far from the posterior: the grid holds it and resolves it.
  func testCoveringGaussiansLieOnTheGrid() throws {
    var rng = SeededGenerator(seed: 92)
    let model = try ProbabilisticPCA(mean: .zeros(4), loadings: rng.normalMatrix(rows: 4, cols: 2), noiseVariance: 0.05)
    let X = rng.normalMatrix(rows: 3, cols: 4)
    let qs = (0..<3).map { i in Gauss2(m: [Double(i) - 1, 0.5], s: [[0.01, 0], [0, 0.02]]).library }
    let posteriors = try EvidenceQuadrature().posteriors(model.likelihood(of: X), covering: qs)
    for (p, q) in zip(posteriors, qs) {
      assertClose(try p.massOnGrid(of: q), 1, tol: 1e-8)
      XCTAssertLessThanOrEqual(p.grid.spacing[0], 0.1 / 2 * 1.001)
    }
  }

  func smallVAE(seed: UInt64) -> (VariationalAutoencoder, FloatMatrix) {
    var rng = SeededGenerator(seed: seed)
    let vae = VariationalAutoencoder(inputDimension: 30, hiddenDimension: 8, latentDimension: 2, using: &rng)
    let x = FloatMatrix(rows: 3, cols: 30, scalars: (0..<90).map { _ in rng.uniform() < 0.3 ? 1 : 0 })
    return (vae, x)
  }

  func testBernoulliLikelihoodIsMinusTheCrossEntropy() throws {
    let (vae, x) = smallVAE(seed: 93)
    let likelihood = try vae.likelihood(of: x)
    var rng = SeededGenerator(seed: 94)
    let z = rng.normalMatrix(rows: 2100, cols: 2)  // more than one chunk of 2048
    let shared = likelihood.logLikelihoods(at: z)
    for n in 0..<x.rows {
      let own = likelihood.logLikelihoods(of: n, at: z)
      let targets = FloatMatrix(rows: z.rows, cols: 30, scalars: (0..<z.rows).flatMap { _ in x.row(n) })
      let reference = VariationalAutoencoder.binaryCrossEntropy(logits: vae.decode(FloatMatrix(z)), targets: targets)
      for g in 0..<z.rows {
        assertClose(own[g], -reference[g], tol: 1e-4)
        assertClose(shared[n, g], own[g], tol: 1e-3)
      }
    }
    var wide = rng
    let twenty = VariationalAutoencoder(inputDimension: 30, hiddenDimension: 8, latentDimension: 20, using: &wide)
    XCTAssertEqual(
      thrownMessage { try twenty.likelihood(of: x) },
      "VariationalAutoencoder.likelihood: a 20-dimensional latent space; grid quadrature needs 2")
    XCTAssertEqual(
      thrownMessage { try vae.likelihood(of: FloatMatrix(rows: 1, cols: 5)) },
      "VariationalAutoencoder.likelihood: data 1x5 for a 30-dimensional VAE")
  }

  /// The VAE's log p(x) against a brute-force midpoint rule in Double, written out here: the
  /// decoder evaluated layer by layer on a 300 × 300 grid over [−5, 5]² (cells a fifteenth of
  /// the posterior's standard deviation). The library's grids, with cells half a standard
  /// deviation wide, are within their O(h²) error of it, and within a sixteenth of that when
  /// their cells are cut four times narrower.
  func testVAEEvidenceAgainstABruteForceQuadrature() throws {
    let (vae, x) = smallVAE(seed: 95)
    let posteriors = try vae.gridPosteriors(x)
    let w3 = vae.decoderHidden.weight.scalars.map(Double.init), b3 = vae.decoderHidden.bias.map(Double.init)
    let w4 = vae.decoderLogits.weight.scalars.map(Double.init), b4 = vae.decoderLogits.bias.map(Double.init)
    let bits = x.scalars.map(Double.init)
    let n = 300, h = 10.0 / Double(n)
    var logJoints = [[Double]](repeating: [Double](repeating: 0, count: n * n), count: x.rows)
    var hidden = [Double](repeating: 0, count: 8), logits = [Double](repeating: 0, count: 30)
    for i in 0..<n {
      for j in 0..<n {
        let z0 = -5 + (Double(i) + 0.5) * h, z1 = -5 + (Double(j) + 0.5) * h
        for u in 0..<8 { hidden[u] = max(0, b3[u] + z0 * w3[u] + z1 * w3[8 + u]) }
        for o in 0..<30 {
          var a = b4[o]
          for u in 0..<8 { a += hidden[u] * w4[u * 30 + o] }
          logits[o] = a
        }
        let prior = -log(2 * Double.pi) - 0.5 * (z0 * z0 + z1 * z1)
        for r in 0..<x.rows {
          var ll = prior
          for o in 0..<30 { ll += bits[r * 30 + o] * logits[o] - (max(logits[o], 0) + log1p(exp(-abs(logits[o])))) }
          logJoints[r][i * n + j] = ll
        }
      }
    }
    let finer = try vae.gridPosteriors(x, on: posteriors.map { try $0.grid.refined(by: 4) })
    for r in 0..<x.rows {
      let bruteForce = logSumExp(logJoints[r]) + 2 * log(h)
      XCTAssertGreaterThan(min(posteriors[r].covariance[0, 0], posteriors[r].covariance[1, 1]).squareRoot(), 15 * h)
      assertClose(posteriors[r].logEvidence, bruteForce, tol: 5e-3, "row \(r)")
      assertClose(finer[r].logEvidence, bruteForce, tol: 3e-4, "row \(r), cells four times narrower")
      assertClose(try posteriors[r].massOnGrid(of: vae.encoderGaussians(x)[r]), 1, tol: 1e-8)
    }
  }

  func testContourLinesOfACircle() throws {
    let xs = (0..<41).map { -2 + 0.1 * Double($0) }
    let values = Matrix(rows: 41, cols: 41) { i, j in xs[j] * xs[j] + xs[i] * xs[i] }
    let lines = contourPolylines(values, x: xs, y: xs, level: 1)
    XCTAssertEqual(lines.count, 1)
    let line = try XCTUnwrap(lines.first)
    XCTAssertEqual(line.first!.0, line.last!.0, accuracy: 1e-12)  // closed
    XCTAssertEqual(line.first!.1, line.last!.1, accuracy: 1e-12)
    for (a, b) in line { XCTAssertEqual((a * a + b * b).squareRoot(), 1, accuracy: 0.01) }
    // Two separate bumps give two closed curves; a saddle cell is split by its centre.
    let bumps = Matrix(rows: 41, cols: 41) { i, j in
      exp(-((xs[j] - 1) * (xs[j] - 1) + xs[i] * xs[i]) / 0.1) + exp(-((xs[j] + 1) * (xs[j] + 1) + xs[i] * xs[i]) / 0.1)
    }
    XCTAssertEqual(contourPolylines(bumps, x: xs, y: xs, level: 0.5).count, 2)
    // A saddle cell (corners 1, 0, 1, 0 counter-clockwise from the bottom left; centre 0.5):
    // above the centre's level the two high corners are cut off, below it the two low ones,
    // at the crossings linear interpolation puts on the edges (worked out by hand).
    let saddle = Matrix([[1, 0], [0, 1]])
    func endpoints(_ level: Double) -> Set<[Double]> {
      Set(
        contourPolylines(saddle, x: [0, 1], y: [0, 1], level: level).map { line in
          line.map { [($0.0 * 10).rounded() / 10, ($0.1 * 10).rounded() / 10] }.sorted {
            $0.lexicographicallyPrecedes($1)
          }
          .flatMap { $0 }
        })
    }
    XCTAssertEqual(endpoints(0.4), [[0.6, 0, 1, 0.4], [0, 0.6, 0.4, 1]])  // around the low corners
    XCTAssertEqual(endpoints(0.6), [[0, 0.4, 0.4, 0], [0.6, 1, 1, 0.6]])  // around the high corners
    var plot = Plot(title: "levels")
    plot.addContourLines(values, x: xs, y: xs, levels: [0.5, 1], label: "f")
    XCTAssertTrue(plot.svg.contains("<path class=\"lt-line lt-s0\""))
  }
}
