import Foundation
import XCTest

@testable import Latent

/// The fused nodes of a VAE step (the Gaussian KL, the reparameterization, a dense layer's
/// bias, activation and δ, the Bernoulli head's directly written gradient): against finite
/// differences, against the chains of operations they replace, and in single precision
/// against double.
extension AutodiffTests {
  func testFusedGaussianKLAgainstFiniteDifferences() throws {
    let mean = Self.sample(4, 3)
    // A log-variance per entry, one per feature shared by every row, one for everything.
    for lvShape in [(4, 3), (1, 3), (1, 1)] {
      let logVariance = Self.sample(lvShape.0, lvShape.1, seed: 2) * 0.5
      try checkGradients([mean, logVariance]) { _, v in try gaussianKL(mean: v[0], logVariance: v[1]) }
    }
    // μ and log σ² the same variable: both contributions reach it.
    try checkGradients([mean]) { _, v in try gaussianKL(mean: v[0], logVariance: v[0]) }
    // Empty: no rows, and rows of no dimensions (a KL of 0 each).
    try checkGradients([Self.sample(0, 3), Self.sample(0, 3, seed: 2)]) { _, v in
      try gaussianKL(mean: v[0], logVariance: v[1])
    }
    let tape = Tape<Matrix>()
    let none = try gaussianKL(
      mean: tape.constant(Matrix(rows: 2, cols: 0)), logVariance: tape.constant(Matrix(rows: 2, cols: 0)))
    XCTAssertEqual(none.value, Matrix(rows: 2, cols: 1))
    let other = Tape<Matrix>()
    XCTAssertEqual(
      thrownMessage { try gaussianKL(mean: tape.constant(mean), logVariance: other.constant(mean)) },
      "gaussianKL: the variables were recorded on different tapes")
  }

  /// The fused KL and reparameterization group their arithmetic as the chains of tape
  /// operations they replace do, so values and gradients agree with those chains exactly.
  func testFusedGaussianNodesReproduceTheComposedChains() throws {
    let mean = Self.sample(5, 4), logVariance = Self.sample(5, 4, seed: 2) * 0.7, noise = Self.sample(5, 4, seed: 3)
    let weights = Self.sample(5, 4, seed: 0.37), rowWeights = Self.sample(5, 1, seed: 0.41)
    func run(fused: Bool) throws -> [Matrix] {
      let tape = Tape<Matrix>()
      let (mu, lv) = (tape.parameter(mean), tape.parameter(logVariance))
      let kl =
        fused
        ? try gaussianKL(mean: mu, logVariance: lv)
        : 0.5 * (try lv.exp() + mu.square() - lv - 1).sum(over: .columns)
      let z =
        fused
        ? try reparameterize(mean: mu, logVariance: lv, noise: noise)
        : try mu + (lv * 0.5).exp() ⊙ tape.constant(noise)
      let loss = try (z ⊙ tape.constant(weights)).sum() + (kl ⊙ tape.constant(rowWeights)).sum()
      let gradients = try tape.gradients(of: loss)
      return [kl.value, z.value, try gradients[mu], try gradients[lv]]
    }
    let (fused, composed) = (try run(fused: true), try run(fused: false))
    for (name, (a, b)) in zip(["KL", "z", "∂μ", "∂log σ²"], zip(fused, composed)) {
      XCTAssertEqual(a, b, name)
    }
  }

  func testFusedNodesInSinglePrecisionAgreeWithDouble() throws {
    // 13 columns: one eight-lane block and a tail in the Float relu kernels.
    let x = Self.sample(6, 5), w = Self.sample(5, 13, seed: 2) * 0.8, b = Self.sample(1, 13, seed: 3) * 0.5
    let mean = Self.sample(6, 13, seed: 4), logVariance = Self.sample(6, 13, seed: 5) * 0.5
    let noise = Self.sample(6, 13, seed: 6)
    func run<M: DifferentiableMatrix>(_ tape: Tape<M>, _ convert: (Matrix) -> M) throws -> [M] {
      let (vx, vw, vb) = (tape.parameter(convert(x)), tape.parameter(convert(w)), tape.parameter(convert(b)))
      let (mu, lv) = (tape.parameter(convert(mean)), tape.parameter(convert(logVariance)))
      var loss = try reparameterize(mean: mu, logVariance: lv, noise: convert(noise)).square().sum()
      loss = try loss + gaussianKL(mean: mu, logVariance: lv).sum()
      for activation in [Activation.relu, .identity, .sigmoid, .tanh] {
        let y = try Variable.dense(vx, vw, vb, activation: activation)
        loss = try loss + (y ⊙ tape.constant(convert(Self.sample(6, 13, seed: 0.37)))).sum()
      }
      let g = try tape.gradients(of: loss)
      return [loss.value, try g[vx], try g[vw], try g[vb], try g[mu], try g[lv]]
    }
    let double = try run(Tape<Matrix>()) { $0 }
    let float = try run(Tape<FloatMatrix>()) { FloatMatrix($0) }
    for (f, d) in zip(float, double) {
      let scale = Swift.max(1, d.scalars.map(Swift.abs).max() ?? 0)
      assertClose(Matrix(f), d, tol: 1e-5 * scale)
    }
  }

  /// The Bernoulli head writes ∂ℓ directly when it is the logits' only consumer so far in the
  /// reverse sweep, and adds to it when another consumer came first.
  func testBernoulliHeadWritesOrAddsItsGradient() throws {
    let logits = Self.sample(4, 11) * 3
    let targets = Self.sample(4, 11, seed: 2).map { $0 > 0 ? 1 : 0 }
    try checkGradients([logits]) { _, v in  // the sum is recorded first, so the head's gradient comes first
      let rowSums = v[0].sum(over: .columns)
      return try bernoulliLogLikelihood(logits: v[0], targets: targets) + rowSums
    }
    try checkGradients([logits]) { _, v in  // the head is recorded first: its gradient adds to the sum's
      let head = try bernoulliLogLikelihood(logits: v[0], targets: targets)
      return try head + v[0].square().sum(over: .columns)
    }
  }
}
