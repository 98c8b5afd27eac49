import Foundation
import XCTest

@testable import Latent

/// The conditional VAE against the unconditional VAE's hand-written kernels, its KL against the
/// one-dimensional `Normal`, the label-free bound against log-mean-exp written out, and its
/// trainer on a small problem whose classes only the label tells apart.
final class ConditionalVAETests: XCTestCase {
  /// A small VAE and the conditional VAE with the same weights whose label rows are zero and
  /// whose prior is 𝒩(0, I) for every class: the two must compute the same bound.
  func testWithoutLabelWeightsItIsTheUnconditionalVAE() throws {
    var rng = SeededGenerator(seed: 3)
    let (d, h, k, c) = (9, 7, 3, 4)
    let vae = VariationalAutoencoder(inputDimension: d, hiddenDimension: h, latentDimension: k, using: &rng)
    func padded(_ layer: Dense) -> Dense {
      let w = layer.weight
      var scalars = w.scalars
      scalars += [Float](repeating: 0, count: c * w.cols)
      return Dense(
        weight: FloatMatrix(rows: w.rows + c, cols: w.cols, scalars: scalars), bias: layer.bias,
        activation: layer.activation)
    }
    let cvae = try ConditionalVAE(
      encoderHidden: padded(vae.encoderHidden), encoderGaussian: vae.encoderGaussian,
      prior: Dense(weight: FloatMatrix(rows: c, cols: 2 * k), bias: [Float](repeating: 0, count: 2 * k)),
      decoderHidden: padded(vae.decoderHidden), decoderLogits: vae.decoderLogits)
    let x = uniformImages(6, d, &rng).binarized(using: &rng)
    let noise = rng.normalFloatMatrix(rows: 6, cols: k)
    let labels = [0, 1, 2, 3, 1, 0]
    let expected = vae.elbo(x, noise: noise), got = try cvae.elbo(x, labels: labels, noise: noise)
    for i in 0..<6 {
      assertClose(got.reconstruction[i], expected.reconstruction[i], tol: 1e-4, "reconstruction \(i)")
      assertClose(got.kl[i], expected.kl[i], tol: 1e-5, "KL \(i)")
    }
    let (mean, _) = try cvae.encode(x, labels: labels)
    XCTAssertEqual(mean, vae.encode(x).mean)
  }

  /// The KL term against the sum of one-dimensional KLs between the encoder's and the class
  /// prior's Gaussians, with a prior that differs from class to class.
  func testKLIsToTheClassPrior() throws {
    var rng = SeededGenerator(seed: 4)
    var cvae = ConditionalVAE(inputDimension: 8, hiddenDimension: 5, latentDimension: 2, classCount: 3, using: &rng)
    cvae.prior = Dense(inputs: 3, outputs: 4, using: &rng)
    let x = uniformImages(5, 8, &rng).binarized(using: &rng)
    let labels = [2, 0, 1, 1, 2]
    let bound = try cvae.elbo(x, labels: labels, noise: rng.normalFloatMatrix(rows: 5, cols: 2))
    let (mean, logVariance) = try cvae.encode(x, labels: labels)
    let (priorMean, priorLogVariance) = try cvae.priorGaussian(labels)
    XCTAssertEqual(priorMean[0, 1], cvae.prior.weight[2, 1] + cvae.prior.bias[1])
    for i in 0..<5 {
      var expected = 0.0
      for j in 0..<2 {
        let q = Normal(mean: Double(mean[i, j]), variance: Foundation.exp(Double(logVariance[i, j])))
        let p = Normal(mean: Double(priorMean[i, j]), variance: Foundation.exp(Double(priorLogVariance[i, j])))
        expected += q.klDivergence(to: p)
      }
      assertClose(bound.kl[i], expected, tol: 1e-5, "row \(i)")
    }
  }

  func testLabelFreeBoundPosteriorAndGain() throws {
    let values = Matrix([[-100, -102, -110], [-50.5, -50, -49]])
    let bounds = ClassBounds(values: values)
    for i in 0..<2 {
      let row = values.row(i).scalars
      let expected = Foundation.log(row.map { Foundation.exp($0 + 100) }.reduce(0, +) / 3) - 100
      assertClose(bounds.labelFree[i], expected, tol: 1e-12)
      assertClose(bounds.labelPosterior.row(i).scalars.reduce(0, +), 1, tol: 1e-12)
    }
    XCTAssertEqual(bounds.predictedLabels, [0, 2])
    let gain = try bounds.gain(labels: [0, 1])
    assertClose(gain[0], Foundation.log(bounds.labelPosterior[0, 0]) + Foundation.log(3), tol: 1e-12)
    XCTAssertLessThanOrEqual(gain.max()!, Foundation.log(3))
    XCTAssertEqual(
      thrownMessage { try bounds.gain(labels: [0]) },
      "ClassBounds: 1 labels in 0..<3 needed for 2x3 bounds")
  }

  /// Two classes of 12-pixel images that are mirror images of each other: without the label the
  /// decoder cannot know which half is bright, with it the bound rises and the bounds classify.
  func testTrainingLearnsToUseTheLabel() throws {
    var rng = SeededGenerator(seed: 5)
    let n = 256, d = 12
    let labels = (0..<n).map { $0 % 2 }
    let images = FloatMatrix(
      rows: n, cols: d, scalars: labels.flatMap { y in (0..<d).map { j in (j < d / 2) == (y == 0) ? Float(0.9) : 0.1 } }
    )
    let cvae = ConditionalVAE(inputDimension: d, hiddenDimension: 16, latentDimension: 2, classCount: 2, using: &rng)
    let trainer = try ConditionalVAETrainer(model: cvae, optimizer: Adam(learningRate: 1e-2), batchSize: 32)
    let bits = images.binarized(using: &rng)
    let before = try cvae.elbo(bits, labels: labels, using: &rng).mean
    for _ in 0..<40 { try trainer.trainEpoch(on: images, labels: labels, using: &rng) }
    let after = try trainer.model.elbo(bits, labels: labels, using: &rng).mean
    // The best possible: every pixel Bernoulli(0.9 or 0.1) known from the label, d·H(0.9) nats.
    let entropy = -Double(d) * (0.9 * Foundation.log(0.9) + 0.1 * Foundation.log(0.1))
    XCTAssertLessThan(before, -Double(d) * Foundation.log(2) + 1)
    XCTAssertGreaterThan(after, -entropy - 1.5, "trained bound \(after), best \(-entropy)")
    XCTAssertLessThan(after, -entropy + 1.0)
    let classes = try trainer.model.classBounds(bits, samples: 4, using: &rng)
    XCTAssertEqual(zip(classes.predictedLabels, labels).filter { $0 == $1 }.count, n)
    XCTAssertEqual(trainer.epoch, 40)
    XCTAssertEqual(trainer.step, 40 * 8)
  }

  /// A decoded trainer takes the same next step as the original (chapter checkpoints rely on it).
  func testTrainerRoundTripsThroughCodable() throws {
    var rng = SeededGenerator(seed: 6)
    let cvae = ConditionalVAE(inputDimension: 10, hiddenDimension: 8, latentDimension: 2, classCount: 3, using: &rng)
    let trainer = try ConditionalVAETrainer(model: cvae, optimizer: Adam(learningRate: 1e-2), batchSize: 4)
    let images = uniformImages(12, 10, &rng), labels = (0..<12).map { $0 % 3 }
    try trainer.trainEpoch(on: images, labels: labels, using: &rng)
    let copy = try JSONDecoder().decode(ConditionalVAETrainer.self, from: JSONEncoder().encode(trainer))
    let bits = images.rows(0..<4).binarized(using: &rng), noise = rng.normalFloatMatrix(rows: 4, cols: 2)
    XCTAssertEqual(
      try trainer.step(bits: bits, labels: [0, 1, 2, 0], noise: noise),
      try copy.step(bits: bits, labels: [0, 1, 2, 0], noise: noise))
    XCTAssertEqual(trainer.model, copy.model)
  }

  func testErrorsNameTheShapes() throws {
    var rng = SeededGenerator(seed: 7)
    let cvae = ConditionalVAE(inputDimension: 10, hiddenDimension: 8, latentDimension: 2, classCount: 3, using: &rng)
    let x = uniformImages(4, 9, &rng)
    XCTAssertEqual(
      thrownMessage { try cvae.elbo(x, labels: [0, 1, 2, 0], noise: rng.normalFloatMatrix(rows: 4, cols: 2)) },
      "ConditionalVAE: elbo: data 4x9 with 4 labels for a 10-dimensional model")
    XCTAssertEqual(
      thrownMessage { try cvae.priorGaussian([0, 3]) },
      "ConditionalVAE: label 3 at position 1 is outside 0..<3")
    XCTAssertEqual(
      thrownMessage { try cvae.generate(noise: rng.normalFloatMatrix(rows: 2, cols: 3), labels: [0, 1]) },
      "ConditionalVAE: generate: noise 2x3 for 2 labels and 2 latents")
    XCTAssertNotNil(
      thrownMessage {
        try ConditionalVAE(
          encoderHidden: cvae.encoderHidden, encoderGaussian: cvae.encoderGaussian, prior: cvae.prior,
          decoderHidden: cvae.encoderHidden, decoderLogits: cvae.decoderLogits)
      })
  }

  /// Pixel intensities uniform on [0, 1).
  func uniformImages(_ rows: Int, _ cols: Int, _ rng: inout SeededGenerator) -> FloatMatrix {
    FloatMatrix(rows: rows, cols: cols, scalars: (0..<(rows * cols)).map { _ in Float(rng.uniform()) })
  }
}
