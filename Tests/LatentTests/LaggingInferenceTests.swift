import XCTest

@testable import Latent

/// The pieces of chapter 12: the synthetic generator, the autoregressive VAE, its 1-D posterior
/// by quadrature, the collapse measures and the aggressive trainer.
final class LaggingInferenceTests: XCTestCase {
  func smallModel(seed: UInt64 = 3, scale: Double = 0.5) throws -> AutoregressiveVAE {
    var rng = SeededGenerator(seed: seed)
    return try AutoregressiveVAE(
      dataDimension: 4, encoderHidden: 3, decoderHidden: 3, autoregressiveHidden: 5, scale: scale, using: &rng)
  }

  /// Every binary vector of length d, one per row.
  func allBinary(_ d: Int) -> Matrix {
    Matrix(rows: 1 << d, cols: d) { n, j in Double((n >> j) & 1) }
  }

  /// The masks make p(x | z) a distribution: Σ over all 2ᵈ binary x is 1 at any z (a decoder
  /// that let bit j see itself or a later bit would not sum to 1).
  func testDecoderIsNormalizedOverAllBinaryVectors() throws {
    let model = try smallModel()
    let ll = try model.logLikelihoods(allBinary(4), at: [-1.3, 0, 2.1])
    for g in 0..<3 {
      let total = (0..<16).reduce(0.0) { $0 + exp(ll[$1, g]) }
      assertClose(total, 1, tol: 1e-12, "Σₓ p(x | z) at point \(g)")
    }
  }

  /// The tape's gradient of the SGVB loss against central differences, every parameter.
  func testNegativeELBOGradientMatchesFiniteDifferences() throws {
    let model = try smallModel()
    let x = Matrix([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 0, 1]])
    let noise = Matrix([[0.3], [-1.1], [0.7]])
    let tape = Tape<Matrix>()
    let (loss, p) = try model.negativeELBO(x, noise: noise, on: tape)
    let g = try tape.gradients(of: loss)
    let masks = AutoregressiveVAE.masks(4, 5)
    func lossAt(_ m: AutoregressiveVAE) throws -> Double {
      try m.negativeELBO(x, noise: noise, on: Tape<Matrix>()).loss.scalar
    }
    let h = 1e-6
    for i in 0..<model.parameters.count {
      let gi = try g[p[i]]
      for k in 0..<model.parameters[i].scalars.count {
        var plus = model, minus = model
        plus.parameters[i].scalars[k] += h
        minus.parameters[i].scalars[k] -= h
        var numeric = (try lossAt(plus) - lossAt(minus)) / (2 * h)
        // A masked entry never reaches the loss; its gradient is 0 by construction.
        if i == 8 && masks.linear.scalars[k] == 0 || i == 9 && masks.input.scalars[k] == 0
          || i == 11 && masks.output.scalars[k] == 0
        {
          numeric = 0
        }
        assertClose(gi.scalars[k], numeric, tol: 1e-7, "parameter \(i), entry \(k)")
      }
    }
  }

  /// log p(x) − the ELBO's exact value ≥ 0 … and the Monte Carlo ELBO averages to ≤ log p(x).
  func testAverageELBOIsBelowQuadratureEvidence() throws {
    let model = try smallModel(scale: 1)
    let x = allBinary(4)
    let grid = try LinePosterior.grid(-10...10, cells: 4000)
    let evidence = try LinePosterior.posteriors(model.logLikelihoods(x, at: grid), at: grid).map(\.logEvidence)
    // Σₓ p(x) = 1 over the 16 vectors: the quadrature's own check.
    assertClose(evidence.reduce(0) { $0 + exp($1) }, 1, tol: 1e-10, "Σₓ p(x) by quadrature")
    var rng = SeededGenerator(seed: 1)
    var elbo = 0.0
    for _ in 0..<400 {
      elbo -=
        try model.negativeELBO(x, noise: rng.normalMatrix(rows: 16, cols: 1), on: Tape<Matrix>()).loss.scalar / 400
    }
    XCTAssertLessThan(elbo, evidence.reduce(0, +) / 16 + 0.02)
  }

  /// x | z ~ 𝒩(az, s²): posterior 𝒩(ax/(a² + s²), s²/(a² + s²)), evidence 𝒩(x; 0, a² + s²).
  func testLinePosteriorMatchesGaussianClosedForm() throws {
    let (a, s2) = (1.7, 0.09)
    let grid = try LinePosterior.grid(-8...8, cells: 3200)
    for x in [-2.0, 0.4, 3.1] {
      let ll = grid.map { z in -0.5 * (logTwoPi + log(s2)) - 0.5 * (x - a * z) * (x - a * z) / s2 }
      let p = try LinePosterior(points: grid, logLikelihood: ll)
      let v = a * a + s2
      assertClose(p.logEvidence, -0.5 * (logTwoPi + log(v)) - 0.5 * x * x / v, tol: 1e-12, "log p(x)")
      assertClose(p.mean, a * x / v, tol: 1e-12, "posterior mean")
      assertClose(p.variance, s2 / v, tol: 1e-12, "posterior variance")
      XCTAssertLessThan(p.edgeMass, 1e-12)
    }
    XCTAssertNotNil(
      thrownMessage { try LinePosterior(points: grid, logLikelihood: [0, 1]) }?.contains(
        "2 log-likelihoods at 3200 points"))
    XCTAssertEqual(
      thrownMessage { try LinePosterior.grid(1...1, cells: 4) },
      "LinePosterior.grid: 4 cells over 1.0...1.0; needs a finite, increasing range and at least 2 cells")
  }

  /// I_q is 0 when every q is the same, log 2 for two far-apart halves; I_p likewise.
  func testMutualInformationLimits() throws {
    let grid = try LinePosterior.grid(-12...12, cells: 4800)
    let same = try PosteriorCollapse.mutualInformation(mean: [0.3, 0.3, 0.3], logVariance: [-1, -1, -1], points: grid)
    assertClose(same, 0, tol: 1e-12, "identical q")
    let apart = try PosteriorCollapse.mutualInformation(
      mean: [-6, -6, 6, 6], logVariance: [-4, -4, -4, -4], points: grid)
    assertClose(apart, log(2), tol: 1e-9, "two separated groups")
    // I_p from posteriors 𝒩(±6, e⁻⁴) tabulated as Gaussian likelihoods' posteriors: same value.
    let posteriors = try [-6.0, 6.0].map { m in
      try LinePosterior(points: grid, logLikelihood: grid.map { z in -0.5 * (z - m) * (z - m) / exp(-4) + 0.5 * z * z })
    }
    assertClose(try PosteriorCollapse.mutualInformation(posteriors), log(2), tol: 1e-9, "I_p, two separated posteriors")
    assertClose(try PosteriorCollapse.activity([1, 3]), 1, tol: 1e-15)
    XCTAssertEqual(try PosteriorCollapse.activeUnits([0, 0.1]), 0)  // A = 0.0025
    XCTAssertEqual(try PosteriorCollapse.activeUnits([0, 0.3]), 1)  // A = 0.0225
    XCTAssertNotNil(thrownMessage { try PosteriorCollapse.activity([1]) })
  }

  /// The generator's probabilities are σ(tanh(zA + a)B + b), written out by hand.
  func testRandomDecoderDataProbabilities() throws {
    var rng = SeededGenerator(seed: 5)
    let g = try RandomDecoderData(latentDimension: 2, hiddenDimension: 3, dataDimension: 4, using: &rng)
    let z = Matrix([[0.2, -1.0]])
    let p = try g.probabilities(z)
    for j in 0..<4 {
      var logit = g.outputBias[j]
      for k in 0..<3 {
        let h = tanh(0.2 * g.latentWeight[0, k] - 1.0 * g.latentWeight[1, k] + g.latentBias[k])
        logit += h * g.outputWeight[k, j]
      }
      assertClose(p[0, j], 1 / (1 + exp(-logit)), tol: 1e-14, "bit \(j)")
    }
    let x = try g.sample(count: 50, using: &rng)
    XCTAssertEqual(x.rows, 50)
    XCTAssert(x.scalars.allSatisfy { $0 == 0 || $0 == 1 })
    XCTAssertNotNil(thrownMessage { try g.probabilities(Matrix([[1, 2, 3]])) })
  }

  /// An aggressive step: between one window and the cap of encoder updates, then exactly one
  /// decoder update; the inner loop leaves the decoder as it was. A basic step updates both once.
  func testAggressiveStepUpdatesEncoderUntilTheBoundStops() throws {
    var rng = SeededGenerator(seed: 8)
    let g = try RandomDecoderData(dataDimension: 4, using: &rng)
    let data = try g.sample(count: 200, using: &rng)
    var trainer = try AggressiveTrainer(model: smallModel(), aggressive: true, batchSize: 20)
    let decoderBefore = Array(trainer.model.parameters[AutoregressiveVAE.decoderParameters])
    trainer.maximumInnerSteps = 40
    try trainer.aggressiveStep(on: data.rows(0..<20), data: data, using: &rng)
    XCTAssert((10...40).contains(trainer.encoderSteps), "\(trainer.encoderSteps) encoder steps")
    XCTAssertEqual(trainer.decoderSteps, 1)
    XCTAssertNotEqual(Array(trainer.model.parameters[AutoregressiveVAE.decoderParameters]), decoderBefore)
    var basic = try AggressiveTrainer(model: smallModel(), aggressive: false, batchSize: 20)
    try basic.basicStep(on: data.rows(0..<20), using: &rng)
    XCTAssertEqual([basic.encoderSteps, basic.decoderSteps], [1, 1])
    let report = try basic.trainEpoch(on: data, heldOut: data.rows(0..<50), using: &rng)
    XCTAssertEqual([report.encoderSteps, report.decoderSteps], [10, 10])
    XCTAssertNotNil(thrownMessage { try basic.trainEpoch(on: data.rows(0..<5), heldOut: data, using: &rng) })
  }

  /// The stopping rule: with patience 1 (He et al.'s) the first epoch without a rise ends
  /// aggressive training; with patience 2 a new high resets the count and two misses in a row end it.
  func testAggressiveTrainingStopsAfterPatienceEpochsWithoutANewHigh() throws {
    var paper = try AggressiveTrainer(model: smallModel(), aggressive: true)
    for information in [0.1, 0.2] { paper.recordInformation(information) }
    XCTAssertTrue(paper.aggressive)
    paper.recordInformation(0.2)
    XCTAssertFalse(paper.aggressive)
    var patient = try AggressiveTrainer(model: smallModel(), aggressive: true)
    patient.patience = 2
    for information in [0.1, 0.05, 0.2, 0.1] { patient.recordInformation(information) }
    XCTAssertTrue(patient.aggressive)
    XCTAssertEqual(patient.bestInformation, 0.2)
    patient.recordInformation(0.15)
    XCTAssertFalse(patient.aggressive)
  }
}
