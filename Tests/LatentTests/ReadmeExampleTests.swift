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

  /// The README's conditional-VAE example on a small model, through the public API.
  func testReadmeConditionalVAESnippet() throws {
    var rng = SeededGenerator(seed: 11)
    let cvae = ConditionalVAE(inputDimension: 20, hiddenDimension: 8, latentDimension: 2, classCount: 3, using: &rng)
    let images = FloatMatrix(rows: 12, cols: 20, scalars: (0..<240).map { _ in Float(rng.uniform()) })
    let labels = (0..<12).map { $0 % 3 }
    let testBits = images.binarized(using: &rng), testLabels = labels
    let isAnomaly = labels.map { $0 == 2 }
    let trainer = try ConditionalVAETrainer(model: cvae, optimizer: Adam(learningRate: 1e-3), batchSize: 128)
    for _ in 1...4 { try trainer.trainEpoch(on: images, labels: labels, using: &rng) }
    let bounds = try trainer.model.classBounds(testBits, using: &rng)
    let gain = try bounds.gain(labels: testLabels)
    let roc = try ROCArea(scores: bounds.labelFree.map { -$0 }, positive: isAnomaly)
    XCTAssertLessThanOrEqual(gain.max()!, log(3.0) + 1e-12)
    XCTAssertTrue((0...1).contains(roc.area))
    XCTAssertGreaterThan(roc.standardError, 0)
  }

  /// The README's exact-evidence example on a small 2-D VAE, through the public API.
  func testReadmeExactEvidenceSnippet() throws {
    var rng = SeededGenerator(seed: 9)
    let vae = VariationalAutoencoder(inputDimension: 20, hiddenDimension: 8, latentDimension: 2, using: &rng)
    let bits = FloatMatrix(rows: 2, cols: 20, scalars: (0..<40).map { _ in rng.uniform() > 0.6 ? 1 : 0 })
    let posteriors = try vae.gridPosteriors(bits)
    let q = vae.encoderGaussians(bits)
    let gap = posteriors[0].logEvidence - (try posteriors[0].elbo(of: q[0]))
    let best = try posteriors[0].bestGaussian(starts: [q[0]] + posteriors[0].gaussianStarts)
    let bounds = try posteriors[0].expectedImportanceWeightedBounds(of: q[0], samples: [1, 16, 256])
    XCTAssertGreaterThan(gap, 0)
    XCTAssertGreaterThanOrEqual(best.elbo, try posteriors[0].elbo(of: q[0]))
    XCTAssertLessThanOrEqual(best.elbo, posteriors[0].logEvidence)
    XCTAssertEqual(bounds[0], posteriors[0].logEvidence - gap, accuracy: 1e-8)
    XCTAssertTrue(bounds[0] < bounds[1] && bounds[1] < bounds[2] && bounds[2] < posteriors[0].logEvidence)
  }

  /// The README's tape example on a small VAE, through the public API; its gradient is the
  /// hand-derived one of `lossAndGradient`.
  func testReadmeTapeSnippet() throws {
    var rng = SeededGenerator(seed: 7)
    var vae = VariationalAutoencoder(inputDimension: 12, hiddenDimension: 6, latentDimension: 20, using: &rng)
    let x = FloatMatrix(rows: 5, cols: 12, scalars: (0..<60).map { _ in rng.uniform() > 0.5 ? 1 : 0 })
    let epsilon = rng.normalFloatMatrix(rows: 5, cols: 20)
    var adam = Adam()
    let tape = Tape<FloatMatrix>()
    let layers = vae.layers.map { $0.parameters(on: tape) }  // W, b as parameters
    let gaussian = try layers[1](layers[0](tape.constant(x)))  // encode
    let (mean, logVariance) = (try gaussian.columns(0..<20), try gaussian.columns(20..<40))
    let z = try reparameterize(mean: mean, logVariance: logVariance, noise: epsilon)
    let elbo =
      try bernoulliLogLikelihood(logits: layers[3](layers[2](z)), targets: x)
      - gaussianKL(mean: mean, logVariance: logVariance)  // decode, bound
    let gradients = try tape.gradients(of: -elbo.sum())
    let reference = vae.lossAndGradient(x, noise: epsilon)
    XCTAssertEqual(-elbo.sum().scalar, reference.loss, accuracy: 1e-3)
    for (layer, handWritten) in zip(layers, reference.gradient.layers) {
      let g = try gradients.gradient(of: layer)
      for (a, b) in zip(g.weight.scalars + g.bias, handWritten.weight.scalars + handWritten.bias) {
        XCTAssertEqual(a, b, accuracy: 1e-4)
      }
    }
    adam.nextStep()
    adam.update(&vae.encoderHidden, gradient: try gradients.gradient(of: layers[0]), slot: 0)
    // The Tape doc comment: Σᵢ (xᵢᵀw)² has gradient 2 XᵀX w.
    let t = Tape<Matrix>()
    let w = t.parameter(Matrix([[0.5], [-1]]))
    let X = t.constant(Matrix([[1, 2], [3, 4]]))
    let dw = try t.gradients(of: (X * w).square().sum())[w]
    XCTAssertEqual(
      dw, 2 * Matrix([[1, 2], [3, 4]]).transposed * Matrix([[1, 2], [3, 4]]) * Matrix([[0.5], [-1]]))
  }

  /// The README's lagging-inference example, through the public API (fewer data, to be quick).
  func testReadmeLaggingInferenceSnippet() throws {
    var rng = SeededGenerator(seed: 12)
    let data = try RandomDecoderData(using: &rng).sample(count: 300, using: &rng)
    var trainer = try AggressiveTrainer(model: AutoregressiveVAE(dataDimension: 16, using: &rng), aggressive: true)
    let report = try trainer.trainEpoch(on: data, heldOut: data.rows(0..<50), using: &rng)
    let grid = try LinePosterior.grid(-8...8, cells: 1600)
    let posteriors = try LinePosterior.posteriors(trainer.model.logLikelihoods(data.rows(0..<50), at: grid), at: grid)
    XCTAssert(report.aggressive && report.decoderSteps == 6 && report.encoderSteps >= 60)
    XCTAssert(report.heldOutInformation >= -1e-9 && report.heldOutInformation <= log(50.0))
    XCTAssert(try PosteriorCollapse.mutualInformation(posteriors) >= -1e-9)
    XCTAssert(posteriors[0].mean.isFinite)
  }
}
